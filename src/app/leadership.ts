// One leader among replicas, by a renewed lease: the leader polls, delivers and holds the
// Discord gateway; the others only answer commands. A leader that cannot renew steps down
// before its lease can expire, so two replicas never both believe they lead.
import type { Logger } from 'pino';
import type { Leases } from '../core/ports.js';

export interface LeadershipOptions {
  leases: Leases;
  /** Lease name shared by all replicas ("leader"). */
  name: string;
  /** Unique per process (hostname + pid + random). */
  holderId: string;
  /** How long a lease lasts without renewal (e.g. 15 s): a dead leader is replaced within ttl + renewEvery. */
  ttlMs: number;
  /** How often the lease is renewed or, by followers, tried (e.g. 5 s). Must be well under ttlMs. */
  renewEveryMs: number;
  onElected(): Promise<void>;
  onDemoted(): Promise<void>;
  logger: Logger;
  /** Real time by default; the lease's safety margin is measured with it. */
  now?: () => number;
}

export interface Leadership {
  /** Tries once straight away (so a single replica leads at once), then keeps trying/renewing. */
  start(): Promise<void>;
  /** Steps down (onDemoted) and releases the lease so a follower takes over at once. */
  stop(): Promise<void>;
  isLeader(): boolean;
}

export function createLeadership(options: LeadershipOptions): Leadership {
  if (options.renewEveryMs >= options.ttlMs) throw new RangeError('renewEveryMs must be shorter than ttlMs');
  const now = options.now ?? Date.now;
  const { leases, name, holderId, logger } = options;
  let leader = false;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  /** When the last successful acquire/renew was sent: the lease is ours until at least this + ttl. */
  let heldSince = Number.NEGATIVE_INFINITY;
  /** Steps down before the lease can expire, even while a renewal hangs. */
  let watchdog: NodeJS.Timeout | undefined;
  /** The last moment we may still act as leader: a renewal period before the lease could expire. */
  const safeUntil = () => heldSince + options.ttlMs - options.renewEveryMs;

  function armWatchdog(): void {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      void stepDown('the lease was not renewed in time');
    }, Math.max(0, safeUntil() - now()));
  }

  /** A lease call that does not answer in a renewal period counts as failed. */
  async function acquireWithin(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`lease store did not answer within ${options.renewEveryMs} ms`)), options.renewEveryMs);
    });
    try {
      return await Promise.race([leases.acquire(name, holderId, options.ttlMs), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function becomeLeader(): Promise<void> {
    leader = true;
    logger.info({ lease: name, holder: holderId }, 'elected leader');
    try {
      await options.onElected();
    } catch (error) {
      logger.error({ err: error }, 'starting leader duties failed; stepping down');
      await stepDown('leader duties failed to start');
      await leases.release(name, holderId).catch(() => {});
    }
  }

  async function stepDown(reason: string): Promise<void> {
    clearTimeout(watchdog);
    if (!leader) return;
    leader = false;
    logger.warn({ lease: name, holder: holderId, reason }, 'no longer leader');
    try {
      await options.onDemoted();
    } catch (error) {
      logger.error({ err: error }, 'stopping leader duties failed');
    }
  }

  async function tick(): Promise<void> {
    const sentAt = now();
    let acquired: boolean;
    try {
      acquired = await acquireWithin();
    } catch (error) {
      // Keep leading only while the lease we last renewed cannot have expired before the next try.
      if (leader && now() < safeUntil()) {
        logger.warn({ err: error }, 'could not renew the leader lease; will retry');
        return;
      }
      logger.error({ err: error }, 'cannot reach the lease store');
      await stepDown('lease store unreachable');
      return;
    }
    if (stopped) return;
    if (acquired) {
      heldSince = sentAt;
      armWatchdog();
      if (!leader) await becomeLeader();
    } else {
      await stepDown('another replica holds the lease');
    }
  }

  function scheduleNext(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = tick().finally(scheduleNext);
    }, options.renewEveryMs);
  }

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      inFlight = tick();
      await inFlight;
      scheduleNext();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      await inFlight.catch(() => {});
      await stepDown('stopping');
      // Compare-and-delete: harmless if we never held it, and lets a follower take over at once.
      await leases.release(name, holderId).catch((error: unknown) => logger.warn({ err: error }, 'could not release the leader lease'));
    },
    isLeader: () => leader,
  };
}
