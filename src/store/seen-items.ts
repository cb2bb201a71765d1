// Items already processed, by stable item key. Keys expire so the store does not grow forever.
import type { SeenItems } from '../core/ports.js';
import type { StoreBackend } from './backend.js';

export interface SeenItemsOptions {
  namespace: string;
  ttlMs: number;
  /** How often (by the store's clock) expired rows are swept on backends that need it. */
  sweepEveryMs: number;
  now: () => number;
}

export function createSeenItems(backend: StoreBackend, options: SeenItemsOptions): SeenItems {
  const keyOf = (key: string) => `${options.namespace}:seen:${key}`;
  let lastSweepAt = Number.NEGATIVE_INFINITY;
  return {
    async has(key) {
      return await backend.keyv.has(keyOf(key));
    },
    async add(keys) {
      if (keys.length === 0) return;
      await backend.keyv.setMany(keys.map((key) => ({ key: keyOf(key), value: 1, ttl: options.ttlMs })));
      const now = options.now();
      if (now - lastSweepAt >= options.sweepEveryMs) {
        lastSweepAt = now;
        await backend.sweepExpired();
      }
    },
  };
}
