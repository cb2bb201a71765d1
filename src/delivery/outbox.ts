// Building outbox entries: one per message and destination, with the stable ids of
// core/delivery-ids.ts, so writing the same delivery twice is writing it once.
import { dmDeliveryId, editDeliveryId, postDeliveryId } from '../core/delivery-ids.js';
import type { Delivery, DeliveryAction, Destination, Update } from '../core/model.js';

function pending(id: string, update: Update, action: DeliveryAction, destination: Destination, now: number, mentions: string[]): Delivery {
  return {
    id,
    updateId: update.id,
    revision: update.revision,
    action,
    destination,
    mentions,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
  };
}

/** The first post of an update in a channel; `mentions` are subscribers who asked to be pinged there. */
export function postDelivery(update: Update, destination: Destination, now: number, mentions: string[] = []): Delivery {
  return pending(postDeliveryId(update.id, destination), update, 'post', destination, now, mentions);
}

/** The edit that brings the channel post up to the update's current revision. */
export function editDelivery(update: Update, destination: Destination, now: number): Delivery {
  return pending(editDeliveryId(update.id, update.revision, destination), update, 'edit', destination, now, []);
}

/** A direct message to one subscriber (destination.user). */
export function dmDelivery(update: Update, destination: Destination, now: number): Delivery {
  return pending(dmDeliveryId(update.id, destination), update, 'dm', destination, now, []);
}
