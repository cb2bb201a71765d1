// Outbox entries and their stable ids: the same delivery always gets the same id, so writing it
// twice is writing it once, and a retry after a crash is recognised (by the outbox, and by the
// platform through nonce or message metadata).
import type { Delivery, DeliveryAction, Destination, Update } from './model.js';

function destinationKey(destination: Destination): string {
  return `${destination.platform}:${destination.channel ?? ''}:${destination.user ?? ''}`;
}

/** The first post of an update to a channel. */
export function postDeliveryId(updateId: string, destination: Destination): string {
  return `post|${updateId}|${destinationKey(destination)}`;
}

/** The edit that brings a channel post up to a revision ("also reported by …"). */
export function editDeliveryId(updateId: string, revision: number, destination: Destination): string {
  return `edit|${updateId}|r${revision}|${destinationKey(destination)}`;
}

/** A direct message to a subscriber about one revision of an update. */
export function dmDeliveryId(updateId: string, destination: Destination): string {
  return `dm|${updateId}|${destinationKey(destination)}`;
}

function pending(
  id: string,
  update: Update,
  action: DeliveryAction,
  destination: Destination,
  now: number,
  mentions: string[],
  revision = update.revision,
): Delivery {
  return { id, updateId: update.id, revision, action, destination, mentions, status: 'pending', attempts: 0, nextAttemptAt: now };
}

/** The first post of an update in a channel; `mentions` are subscribers who asked to be pinged there. */
export function postDelivery(update: Update, destination: Destination, now: number, mentions: string[] = []): Delivery {
  return pending(postDeliveryId(update.id, destination), update, 'post', destination, now, mentions);
}

/** The edit that brings the channel post up to a revision (the update's current one by default). */
export function editDelivery(update: Update, destination: Destination, now: number, revision = update.revision): Delivery {
  return pending(editDeliveryId(update.id, revision, destination), update, 'edit', destination, now, [], revision);
}

/** A direct message to one subscriber (destination.user). */
export function dmDelivery(update: Update, destination: Destination, now: number): Delivery {
  return pending(dmDeliveryId(update.id, destination), update, 'dm', destination, now, []);
}
