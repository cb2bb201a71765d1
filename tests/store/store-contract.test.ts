import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedState, Subscription, Update } from '../../src/core/model.js';
import { createStore, type ManagedStore } from '../../src/store/keyv-store.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { deleteRedisNamespace, makeTempDir, pendingDelivery, REDIS_URL, uniqueNamespace } from './store-test-helpers.js';

interface Backend {
  name: string;
  skip: boolean;
  open(clock: FakeClock): Promise<{ store: ManagedStore; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'SQLite file',
    skip: false,
    async open(clock) {
      const temp = makeTempDir();
      const store = await createStore({ dataDir: temp.dir, clock, seenTtlMs: 60_000 });
      return { store, cleanup: async () => { await store.close(); temp.remove(); } };
    },
  },
  {
    name: 'Redis (runs only with REDIS_URL set)',
    skip: !REDIS_URL,
    async open(clock) {
      const namespace = uniqueNamespace();
      const store = await createStore({ dataDir: '', redisUrl: REDIS_URL, namespace, clock, seenTtlMs: 60_000 });
      return {
        store,
        cleanup: async () => {
          await store.close();
          await deleteRedisNamespace(REDIS_URL!, namespace);
        },
      };
    },
  },
];

function update(id: string, story: string, createdAt: number): Update {
  return {
    id, story, developmentKey: id, companies: ['Acme'], statements: [], why: 'test', score: 1,
    reports: [{ feedId: 'f', source: 'Outlet', title: id, itemKey: id }], revision: 1, createdAt,
  };
}

for (const backend of backends) {
  describe.skipIf(backend.skip)(`the store on ${backend.name}`, () => {
    let clock: FakeClock;
    let store: ManagedStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      clock = new FakeClock();
      ({ store, cleanup } = await backend.open(clock));
    });
    afterEach(async () => cleanup());

    it('remembers seen items', async () => {
      expect(await store.seenItems.has('feed\u0000a')).toBe(false);
      await store.seenItems.add(['feed\u0000a', 'feed\u0000b']);
      expect(await store.seenItems.has('feed\u0000a')).toBe(true);
      expect(await store.seenItems.has('feed\u0000b')).toBe(true);
      expect(await store.seenItems.has('feed\u0000c')).toBe(false);
    });

    it('keeps feed states and lists them all', async () => {
      const state: FeedState = { feedId: 'f1', status: 'ok', etag: '"x"', consecutiveFailures: 0 };
      await store.feedStates.set(state);
      await store.feedStates.set({ ...state, feedId: 'f2', status: 'failing', consecutiveFailures: 2 });
      await store.feedStates.set({ ...state, etag: '"y"' });
      expect(await store.feedStates.get('f1')).toEqual({ ...state, etag: '"y"' });
      expect((await store.feedStates.list()).map((s) => s.feedId).sort()).toEqual(['f1', 'f2']);
    });

    it('lists a story\'s updates newest first, up to a limit, and replaces an update on put', async () => {
      await store.updates.put(update('u1', 'story-a', 100));
      await store.updates.put(update('u2', 'story-a', 300));
      await store.updates.put(update('u3', 'story-a', 200));
      await store.updates.put(update('other', 'story-b', 400));
      await store.updates.put({ ...update('u1', 'story-a', 100), revision: 2 });
      expect((await store.updates.listByStory('story-a')).map((u) => u.id)).toEqual(['u2', 'u3', 'u1']);
      expect((await store.updates.listByStory('story-a', 2)).map((u) => u.id)).toEqual(['u2', 'u3']);
      expect((await store.updates.get('u1'))?.revision).toBe(2);
      expect(await store.updates.get('missing')).toBeUndefined();
    });

    it('lists subscriptions by user and by company, story-specific ones only for their story', async () => {
      const base: Subscription = { platform: 'slack', userId: 'U1', company: 'Acme', mode: 'dm', createdAt: 1 };
      await store.subscriptions.add(base);
      await store.subscriptions.add({ ...base, story: 'story-a', mode: 'mention', createdAt: 2 });
      await store.subscriptions.add({ ...base, userId: 'U2', story: 'story-b', createdAt: 3 });
      await store.subscriptions.add({ ...base, company: 'Other', createdAt: 4 });

      expect(await store.subscriptions.listByUser('slack', 'U1')).toHaveLength(3);
      const forStoryA = await store.subscriptions.listByCompany('Acme', 'story-a');
      expect(forStoryA.map((s) => [s.userId, s.story])).toEqual([['U1', undefined], ['U1', 'story-a']]);

      expect(await store.subscriptions.remove('slack', 'U1', 'Acme')).toBe(true);
      expect(await store.subscriptions.remove('slack', 'U1', 'Acme')).toBe(false);
      expect((await store.subscriptions.listByCompany('Acme', 'story-a')).map((s) => s.story)).toEqual(['story-a']);
      expect(await store.subscriptions.listByUser('discord', 'U1')).toEqual([]);
    });

    it('enqueues each delivery id once, even when enqueued again', async () => {
      const first = pendingDelivery({ id: 'post|u1|slack:C1:' });
      expect(await store.outbox.enqueue([first])).toEqual([first]);
      await store.outbox.put({ ...first, status: 'done', ref: { platform: 'slack', channel: 'C1', id: '1.2' } });
      expect(await store.outbox.enqueue([first, pendingDelivery({ id: 'dm|u1|slack::U9' })])).toHaveLength(1);
      expect((await store.outbox.get(first.id))?.status).toBe('done');
    });

    it('returns due pending entries oldest first, skipping finished and future ones', async () => {
      const now = clock.now();
      await store.outbox.enqueue([
        pendingDelivery({ id: 'b', nextAttemptAt: now - 10 }),
        pendingDelivery({ id: 'a', nextAttemptAt: now - 20 }),
        pendingDelivery({ id: 'later', nextAttemptAt: now + 1_000 }),
        pendingDelivery({ id: 'c', nextAttemptAt: now }),
      ]);
      expect((await store.outbox.due(now, 10)).map((d) => d.id)).toEqual(['a', 'b', 'c']);
      expect((await store.outbox.due(now, 2)).map((d) => d.id)).toEqual(['a', 'b']);

      const a = (await store.outbox.get('a'))!;
      await store.outbox.put({ ...a, status: 'done' });
      const b = (await store.outbox.get('b'))!;
      await store.outbox.put({ ...b, attempts: 1, nextAttemptAt: now + 500 });
      expect((await store.outbox.due(now, 10)).map((d) => d.id)).toEqual(['c']);
      expect((await store.outbox.due(now + 1_000, 10)).map((d) => d.id)).toEqual(['c', 'b', 'later']);
    });

    it('never returns an entry twice, even past stale index members left by a crash or a re-enqueue', async () => {
      const now = clock.now();
      const [a, b, c] = ['a', 'b', 'c'].map((id, order) => pendingDelivery({ id, nextAttemptAt: now - 10 + order }));
      await store.outbox.enqueue([a!, b!, c!]);
      await store.outbox.put({ ...a!, status: 'done' });
      // Enqueuing a finished entry again (as re-processing after a crash does) leaves a stale member.
      expect(await store.outbox.enqueue([a!])).toEqual([]);
      expect((await store.outbox.due(now, 2)).map((d) => d.id)).toEqual(['b', 'c']);
      expect((await store.outbox.due(now, 10)).map((d) => d.id)).toEqual(['b', 'c']);
    });

    it('gives a lease to one holder at a time, renews it for that holder, and frees it on release or expiry', async () => {
      expect(await store.leases.acquire('leader', 'one', 10_000)).toBe(true);
      expect(await store.leases.acquire('leader', 'two', 10_000)).toBe(false);
      expect(await store.leases.acquire('leader', 'one', 10_000)).toBe(true);
      await store.leases.release('leader', 'two');
      expect(await store.leases.acquire('leader', 'two', 10_000)).toBe(false);
      await store.leases.release('leader', 'one');
      expect(await store.leases.acquire('leader', 'two', 50)).toBe(true);
      // SQLite expires leases by the injected clock, Redis by its own: move both past the TTL.
      clock.advance(100);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await store.leases.acquire('leader', 'one', 10_000)).toBe(true);
    });
  });
}

describe('the SQLite store over time', () => {
  it('forgets seen items after their TTL and sweeps the expired rows', async () => {
    const temp = makeTempDir();
    const clock = new FakeClock();
    const store = await createStore({ dataDir: temp.dir, clock, seenTtlMs: 60_000, sweepEveryMs: 30_000 });
    try {
      await store.seenItems.add(['old']);
      clock.advance(45_000);
      await store.seenItems.add(['newer']);
      clock.advance(20_000);
      expect(await store.seenItems.has('old')).toBe(false);
      expect(await store.seenItems.has('newer')).toBe(true);
      expect(await store.sweepExpired()).toBe(1);
    } finally {
      await store.close();
      temp.remove();
    }
  });

  it('keeps everything across a close and reopen of the same file', async () => {
    const temp = makeTempDir();
    try {
      const first = await createStore({ dataDir: temp.dir });
      await first.seenItems.add(['k']);
      await first.outbox.enqueue([pendingDelivery({ id: 'p1' })]);
      await first.close();
      const second = await createStore({ dataDir: temp.dir });
      expect(await second.seenItems.has('k')).toBe(true);
      expect((await second.outbox.due(Date.now(), 10)).map((d) => d.id)).toEqual(['p1']);
      await second.close();
    } finally {
      temp.remove();
    }
  });
});
