import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/app/logger.js';
import { createLeadership, type Leadership } from '../../src/app/leadership.js';
import type { Leases } from '../../src/core/ports.js';
import { createStore, type ManagedStore } from '../../src/store/keyv-store.js';
import { deleteRedisNamespace, makeTempDir, REDIS_URL, uniqueNamespace } from '../store/store-test-helpers.js';

const TTL_MS = 600;
const RENEW_MS = 150;

interface Replica {
  id: string;
  leadership: Leadership;
  events: string[];
}

function replica(leases: Leases, id: string): Replica {
  const events: string[] = [];
  const leadership = createLeadership({
    leases, name: 'leader', holderId: id, ttlMs: TTL_MS, renewEveryMs: RENEW_MS, logger: silentLogger(),
    onElected: async () => { events.push('elected'); },
    onDemoted: async () => { events.push('demoted'); },
  });
  return { id, leadership, events };
}

/** Leases that can be switched off, as when the store goes away, or made to hang, as when it stops answering. */
class SwitchableLeases implements Leases {
  down = false;
  hanging = false;
  constructor(private readonly inner: Leases) {}
  acquire(name: string, holder: string, ttlMs: number) {
    if (this.hanging) return new Promise<boolean>(() => {});
    return this.down ? Promise.reject(new Error('store unreachable')) : this.inner.acquire(name, holder, ttlMs);
  }
  release(name: string, holder: string) {
    return this.down ? Promise.reject(new Error('store unreachable')) : this.inner.release(name, holder);
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}

const backends = [
  { name: 'SQLite leases', skip: false, redis: false },
  { name: 'Redis leases (runs only with REDIS_URL set)', skip: !REDIS_URL, redis: true },
];

for (const backend of backends) {
  describe.skipIf(backend.skip)(`leadership over ${backend.name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function openStore(): Promise<ManagedStore> {
      if (backend.redis) {
        const namespace = uniqueNamespace();
        const store = await createStore({ dataDir: '', redisUrl: REDIS_URL, namespace });
        cleanups.push(async () => { await store.close(); await deleteRedisNamespace(REDIS_URL!, namespace); });
        return store;
      }
      const temp = makeTempDir();
      const store = await createStore({ dataDir: temp.dir });
      cleanups.push(async () => { await store.close(); temp.remove(); });
      return store;
    }

    it('elects exactly one of two replicas', async () => {
      const store = await openStore();
      const a = replica(store.leases, 'a');
      const b = replica(store.leases, 'b');
      cleanups.push(() => a.leadership.stop(), () => b.leadership.stop());
      await a.leadership.start();
      await b.leadership.start();
      await new Promise((resolve) => setTimeout(resolve, RENEW_MS * 3));
      expect([a.leadership.isLeader(), b.leadership.isLeader()]).toEqual([true, false]);
      expect(b.events).toEqual([]);
    });

    it('hands over at once when the leader stops, and within ttl + renew period when it dies', async () => {
      const store = await openStore();
      const a = replica(store.leases, 'a');
      const b = replica(store.leases, 'b');
      cleanups.push(() => b.leadership.stop());
      await a.leadership.start();
      await b.leadership.start();
      await a.leadership.stop();
      expect(a.events).toEqual(['elected', 'demoted']);
      await until(() => b.leadership.isLeader(), RENEW_MS * 2);

      // A dying process renews nothing and releases nothing: simulate it with a leadership whose
      // lease store vanishes for it alone.
      const dyingLeases = new SwitchableLeases(store.leases);
      const c = replica(dyingLeases, 'c');
      await b.leadership.stop();
      await c.leadership.start();
      expect(c.leadership.isLeader()).toBe(true);
      const d = replica(store.leases, 'd');
      cleanups.push(() => c.leadership.stop(), () => d.leadership.stop());
      await d.leadership.start();
      dyingLeases.down = true;
      const tookMs = await until(() => d.leadership.isLeader(), TTL_MS + RENEW_MS * 3);
      expect(tookMs).toBeLessThanOrEqual(TTL_MS + RENEW_MS * 3);
      // The cut-off leader stepped down before its lease could expire: never two leaders.
      expect(c.leadership.isLeader()).toBe(false);
      expect(c.events).toEqual(['elected', 'demoted']);
    });
  });
}

describe('leadership when the lease store goes away', () => {
  it('keeps leading through a short outage and steps down before its lease can expire', async () => {
    const temp = makeTempDir();
    const store = await createStore({ dataDir: temp.dir });
    const leases = new SwitchableLeases(store.leases);
    const leader = replica(leases, 'a');
    try {
      await leader.leadership.start();
      leases.down = true;
      await new Promise((resolve) => setTimeout(resolve, RENEW_MS + 20));
      expect(leader.leadership.isLeader()).toBe(true);
      const stepDownMs = await until(() => !leader.leadership.isLeader(), TTL_MS);
      expect(stepDownMs).toBeLessThan(TTL_MS);
      leases.down = false;
      await until(() => leader.leadership.isLeader(), RENEW_MS * 3);
      expect(leader.events).toEqual(['elected', 'demoted', 'elected']);
    } finally {
      await leader.leadership.stop();
      await store.close();
      temp.remove();
    }
  });

  it('steps down before its lease can expire when renewals hang instead of failing', async () => {
    const temp = makeTempDir();
    const store = await createStore({ dataDir: temp.dir });
    const leases = new SwitchableLeases(store.leases);
    const leader = replica(leases, 'a');
    try {
      await leader.leadership.start();
      const lastRenewal = Date.now();
      leases.hanging = true;
      await until(() => !leader.leadership.isLeader(), TTL_MS);
      expect(Date.now() - lastRenewal).toBeLessThan(TTL_MS);
      leases.hanging = false;
      await until(() => leader.leadership.isLeader(), RENEW_MS * 4);
    } finally {
      await leader.leadership.stop();
      await store.close();
      temp.remove();
    }
  });

  it('steps down again when starting its duties fails', async () => {
    const temp = makeTempDir();
    const store = await createStore({ dataDir: temp.dir });
    const demoted: string[] = [];
    const leadership = createLeadership({
      leases: store.leases, name: 'leader', holderId: 'a', ttlMs: TTL_MS, renewEveryMs: RENEW_MS, logger: silentLogger(),
      onElected: async () => { throw new Error('gateway refused'); },
      onDemoted: async () => { demoted.push('a'); },
    });
    try {
      await leadership.start();
      expect(leadership.isLeader()).toBe(false);
      expect(demoted).toEqual(['a']);
      expect(await store.leases.acquire('leader', 'b', TTL_MS)).toBe(true);
    } finally {
      await leadership.stop();
      await store.close();
      temp.remove();
    }
  });
});
