// The store factory: SQLite file under the data dir by default, Redis when a URL is given.
import type { Logger } from 'pino';
import type { Clock, Store } from '../core/ports.js';
import type { StoreBackend } from './backend.js';
import { createFeedStates } from './feed-states.js';
import { createOutbox } from './outbox.js';
import { createRedisBackend } from './redis-backend.js';
import { createSeenItems } from './seen-items.js';
import { createSqliteBackend } from './sqlite-backend.js';
import { createSubscriptions } from './subscriptions.js';
import { createUpdates } from './updates.js';

export const DEFAULT_SEEN_TTL_MS = 90 * 24 * 60 * 60 * 1000;
export const DEFAULT_NAMESPACE = 'storywatch';
const DEFAULT_SWEEP_EVERY_MS = 60 * 60 * 1000;

export interface StoreOptions {
  /** Directory of the SQLite file (ignored with redisUrl). */
  dataDir: string;
  /** redis://host:port: share state between replicas. */
  redisUrl?: string;
  /** How long an item stays "seen" (default 90 days). */
  seenTtlMs?: number;
  /** Prefix of every key, so several bots (or test runs) can share one Redis. */
  namespace?: string;
  logger?: Logger;
  /** Time for expiry and leases on SQLite (default the system clock); simulations pass a fake clock. */
  clock?: Clock;
  /** How often expired SQLite rows are swept, by that clock (default hourly). */
  sweepEveryMs?: number;
  /** How long to wait for Redis at start before starting degraded (default 5 s). */
  redisConnectTimeoutMs?: number;
  /** How long a Redis command may take before it fails (default 5 s). */
  redisCommandTimeoutMs?: number;
}

/** The Store of ports.ts plus what the app needs to report and maintain it. */
export interface ManagedStore extends Store {
  readonly backend: 'sqlite' | 'redis';
  readonly namespace: string;
  /** False while Redis is away (always true on SQLite until closed). */
  isAvailable(): boolean;
  onAvailabilityChange(listener: (available: boolean, error?: Error) => void): () => void;
  /** Deletes expired seen items now (SQLite; Redis expires keys itself). Returns how many. */
  sweepExpired(): Promise<number>;
}

export async function createStore(options: StoreOptions): Promise<ManagedStore> {
  const now = options.clock ? () => options.clock!.now() : Date.now;
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const backend: StoreBackend = options.redisUrl
    ? await createRedisBackend({
        url: options.redisUrl,
        logger: options.logger,
        connectTimeoutMs: options.redisConnectTimeoutMs,
        commandTimeoutMs: options.redisCommandTimeoutMs,
      })
    : createSqliteBackend({ dataDir: options.dataDir, now });
  options.logger?.info({ backend: backend.kind, namespace }, 'store opened');

  return {
    backend: backend.kind,
    namespace,
    seenItems: createSeenItems(backend, {
      namespace,
      ttlMs: options.seenTtlMs ?? DEFAULT_SEEN_TTL_MS,
      sweepEveryMs: options.sweepEveryMs ?? DEFAULT_SWEEP_EVERY_MS,
      now,
    }),
    feedStates: createFeedStates(backend, namespace),
    updates: createUpdates(backend, namespace),
    subscriptions: createSubscriptions(backend, namespace),
    outbox: createOutbox(backend, namespace),
    leases: namespacedLeases(backend, namespace),
    isAvailable: () => backend.isAvailable(),
    onAvailabilityChange: (listener) => backend.onAvailabilityChange(listener),
    sweepExpired: () => backend.sweepExpired(),
    close: () => backend.close(),
  };
}

function namespacedLeases(backend: StoreBackend, namespace: string): Store['leases'] {
  const keyOf = (name: string) => `${namespace}:lease:${name}`;
  return {
    acquire: (name, holder, ttlMs) => backend.leases.acquire(keyOf(name), holder, ttlMs),
    release: (name, holder) => backend.leases.release(keyOf(name), holder),
  };
}
