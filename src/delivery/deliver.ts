// Sends due outbox entries. At-least-once inside, exactly-once at the edge: an attempt is
// recorded before the send, the entry is marked done only after the platform accepted it, and
// an entry that was attempted but not recorded is first looked up on the platform (findSent).
import type { Logger } from 'pino';
import { postDeliveryId } from '../core/deliveries.js';
import type { Delivery, Message, MessageRef, Platform, Update } from '../core/model.js';
import { ChatError, type ChatAdapter, type Clock, type Store } from '../core/ports.js';

export interface DelivererDeps {
  store: Store;
  adapters: Partial<Record<Platform, ChatAdapter>>;
  /** Renders the current state of an update for one delivery (post, edit or DM). */
  render(update: Update, delivery: Delivery): Message;
  clock: Clock;
  logger: Logger;
  /** Sends (and transient failures) before an entry is given up (default 10). */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt up to MAX_BACKOFF_MS (default 1 s). */
  baseBackoffMs?: number;
  /** Entries taken per deliverDue call (default 50). */
  batchSize?: number;
  /** Told once per entry that will never be delivered (forbidden, not found, invalid, out of attempts). */
  onPermanentFailure?(delivery: Delivery, error: Error): void;
  /**
   * Asked before each entry; false ends the round (pass `() => leadership.isLeader()`), so a replica
   * that lost the lead stops sending before the next leader starts.
   */
  mayDeliver?(): boolean;
}

export interface DeliveryRound {
  sent: number;
  deferred: number;
  failed: number;
  /** Edits not sent because the message already showed that revision. */
  superseded: number;
}

export interface Deliverer {
  deliverDue(): Promise<DeliveryRound>;
}

const MAX_BACKOFF_MS = 15 * 60 * 1000;
const PERMANENT_CODES = new Set(['forbidden', 'not-found', 'invalid']);

type Outcome = keyof DeliveryRound;

export function createDeliverer(deps: DelivererDeps): Deliverer {
  const maxAttempts = deps.maxAttempts ?? 10;
  const baseBackoffMs = deps.baseBackoffMs ?? 1_000;
  const batchSize = deps.batchSize ?? 50;
  const { store, logger } = deps;
  /** A platform that answered 429 gets nothing until it said we may try again. */
  const rateLimitedUntil = new Map<Platform, number>();
  let running: Promise<DeliveryRound> | undefined;

  const backoff = (attempts: number) => Math.min(baseBackoffMs * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);

  async function fail(entry: Delivery, error: Error): Promise<Outcome> {
    await store.outbox.put({ ...entry, status: 'failed', lastError: error.message });
    logger.error({ delivery: entry.id, err: error }, 'delivery failed for good');
    try {
      deps.onPermanentFailure?.(entry, error);
    } catch (callbackError) {
      logger.error({ err: callbackError, delivery: entry.id }, 'onPermanentFailure threw');
    }
    return 'failed';
  }

  async function defer(entry: Delivery, until: number, reason: string): Promise<Outcome> {
    await store.outbox.put({ ...entry, nextAttemptAt: until, lastError: reason });
    return 'deferred';
  }

  async function done(entry: Delivery, ref: MessageRef): Promise<Outcome> {
    const { lastError: _cleared, ...rest } = entry;
    await store.outbox.put({ ...rest, status: 'done', ref });
    logger.debug({ delivery: entry.id, ref }, 'delivered');
    return 'sent';
  }

  /** After an attempt threw: wait as told (429), give up (permanent or out of attempts), or retry later. */
  async function afterSendError(attempt: Delivery, error: unknown, now: number): Promise<Outcome> {
    const err = error instanceof Error ? error : new Error(String(error));
    const code = err instanceof ChatError ? err.code : 'unknown';
    if (code === 'rate-limited') {
      const waitMs = (err as ChatError).retryAfterMs ?? backoff(attempt.attempts);
      const until = now + waitMs;
      rateLimitedUntil.set(attempt.destination.platform, Math.max(until, rateLimitedUntil.get(attempt.destination.platform) ?? 0));
      logger.warn({ delivery: attempt.id, waitMs }, 'rate limited by the platform; waiting as asked');
      return defer(attempt, until, err.message);
    }
    if (PERMANENT_CODES.has(code)) return fail(attempt, err);
    if (attempt.attempts >= maxAttempts) return fail(attempt, new Error(`gave up after ${attempt.attempts} attempts: ${err.message}`));
    logger.warn({ delivery: attempt.id, attempts: attempt.attempts, err }, 'delivery failed; will retry');
    return defer(attempt, attempt.nextAttemptAt, err.message);
  }

  /** A previous attempt may have reached the platform before the process died: adopt that message. */
  async function findEarlierSend(adapter: ChatAdapter, entry: Delivery, target: string): Promise<MessageRef | undefined> {
    if (entry.attempts === 0 || entry.ref || entry.action === 'edit' || !adapter.findSent) return undefined;
    try {
      return await adapter.findSent(target, entry.id);
    } catch (error) {
      if (error instanceof ChatError && PERMANENT_CODES.has(error.code)) {
        // We cannot look (no history access); sending is the only way the message arrives.
        logger.warn({ delivery: entry.id, err: error }, 'cannot check for an earlier send; sending again');
        return undefined;
      }
      throw error;
    }
  }

  async function deliverOne(entry: Delivery, now: number): Promise<Outcome> {
    const platform = entry.destination.platform;
    const adapter = deps.adapters[platform];
    if (!adapter) return fail(entry, new Error(`no chat adapter for ${platform}`));
    const blockedUntil = rateLimitedUntil.get(platform) ?? 0;
    if (blockedUntil > now) return defer(entry, blockedUntil, entry.lastError ?? 'rate limited');

    const target = entry.action === 'dm' ? entry.destination.user : entry.destination.channel;
    if (!target) return fail(entry, new Error(`a ${entry.action} needs a ${entry.action === 'dm' ? 'user' : 'channel'}`));

    let postRef: MessageRef | undefined;
    let post: Delivery | undefined;
    if (entry.action === 'edit') {
      post = await store.outbox.get(postDeliveryId(entry.updateId, entry.destination));
      if (!post) return fail(entry, new Error('there is no post to edit'));
      if (post.status === 'failed') return fail(entry, new Error(`the post to edit failed: ${post.lastError ?? 'unknown'}`));
      if (post.status !== 'done' || !post.ref) {
        return defer(entry, Math.max(post.nextAttemptAt, now + baseBackoffMs), 'waiting for the post to be sent');
      }
      postRef = post.ref;
      // The post (or an earlier edit) was rendered from this revision or a later one: it already says it.
      if (post.revision >= entry.revision) {
        await done(entry, postRef);
        return 'superseded';
      }
    }

    // Render from the update as it is now, so a late post already shows every report.
    const update = await store.updates.get(entry.updateId);
    if (!update || update.revision < entry.revision) {
      // The pipeline writes outbox entries just before their update; wait for it (bounded by attempts),
      // or an edit would show the previous revision and nothing would edit it again.
      const waiting = { ...entry, attempts: entry.attempts + 1, nextAttemptAt: now + backoff(entry.attempts + 1) };
      return afterSendError(waiting, new Error('the update is not written yet'), now);
    }
    let message: Message;
    try {
      message = deps.render(update, entry);
    } catch (error) {
      return fail(entry, new Error(`rendering failed: ${error instanceof Error ? error.message : String(error)}`));
    }

    try {
      const earlier = await findEarlierSend(adapter, entry, target);
      if (earlier) {
        logger.info({ delivery: entry.id, ref: earlier }, 'found a message sent before a restart; not sending again');
        return done(entry, earlier);
      }
    } catch (error) {
      return afterSendError({ ...entry, nextAttemptAt: now + backoff(entry.attempts) }, error, now);
    }

    // Record the attempt before sending, so a crash after the send is recognised on restart.
    const attempt: Delivery = { ...entry, attempts: entry.attempts + 1, nextAttemptAt: now + backoff(entry.attempts + 1) };
    await store.outbox.put(attempt);

    try {
      if (entry.action === 'edit') {
        await adapter.edit(postRef!, message);
        // Remember on the post which revision the message now shows, so older edits still due are skipped.
        await store.outbox.put({ ...post!, revision: Math.max(post!.revision, update.revision) });
        return done(attempt, postRef!);
      }
      const ref =
        entry.action === 'post'
          ? await adapter.post(target, message, { deliveryId: entry.id })
          : await adapter.dm(target, message, { deliveryId: entry.id });
      // A post renders the update as it is now, which may already include later reports.
      return done({ ...attempt, revision: update.revision }, ref);
    } catch (error) {
      return afterSendError(attempt, error, now);
    }
  }

  async function deliverBatch(): Promise<DeliveryRound> {
    const now = deps.clock.now();
    const round: DeliveryRound = { sent: 0, deferred: 0, failed: 0, superseded: 0 };
    const due = [...new Map((await store.outbox.due(now, batchSize)).map((entry) => [entry.id, entry])).values()];
    // Posts before edits, so an edit due with its post finds it sent.
    const ordered = [...due.filter((entry) => entry.action !== 'edit'), ...due.filter((entry) => entry.action === 'edit')];
    for (const [position, entry] of ordered.entries()) {
      if (deps.mayDeliver && !deps.mayDeliver()) {
        logger.warn({ left: ordered.length - position }, 'no longer allowed to deliver; stopping this round');
        break;
      }
      round[await deliverOne(entry, now)] += 1;
    }
    return round;
  }

  return {
    deliverDue() {
      // Two overlapping rounds could both send the same entry: share the one in flight.
      running ??= deliverBatch().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}
