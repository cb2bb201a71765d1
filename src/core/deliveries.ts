// Stable outbox ids: the same delivery always gets the same id, so a retry after a crash
// is recognised (by the outbox, and by the platform through nonce or message metadata).
import type { Destination } from './model.js';

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
