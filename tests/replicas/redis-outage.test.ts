import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHealthState } from '../../src/app/health.js';
import { createLeadership } from '../../src/app/leadership.js';
import { silentLogger } from '../../src/app/logger.js';
import type { Update } from '../../src/core/model.js';
import { createDeliverer } from '../../src/delivery/deliver.js';
import { postDelivery } from '../../src/core/deliveries.js';
import { createStore, type ManagedStore } from '../../src/store/keyv-store.js';
import { RecordingChatAdapter } from '../fakes/recording-chat-adapter.js';
import { uniqueNamespace } from '../store/store-test-helpers.js';
import { REDIS_SERVER_AVAILABLE, ThrowawayRedis } from './throwaway-redis.js';

const clock = { now: () => Date.now() };

function update(id: string): Update {
  return {
    id, story: 'story', developmentKey: id, companies: ['Acme'], statements: [], why: 'test', score: 1,
    reports: [{ feedId: 'f', source: 'Outlet', title: id, itemKey: id }], revision: 0, createdAt: clock.now(),
  };
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!REDIS_SERVER_AVAILABLE)('when Redis goes away and comes back (own redis-server; skipped when redis-server is not on PATH)', () => {
  let redis: ThrowawayRedis;
  let store: ManagedStore | undefined;

  beforeEach(async () => {
    redis = await ThrowawayRedis.create();
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await redis.dispose();
  });

  it('throws instead of answering "not seen", pauses leading and delivery, then resumes and loses nothing', async () => {
    await redis.start();
    store = await createStore({ dataDir: '', redisUrl: redis.url, namespace: uniqueNamespace(), logger: silentLogger() });
    const health = createHealthState(clock);
    health.watchStore(store);
    const slack = new RecordingChatAdapter('slack');
    const deliverer = createDeliverer({ store, adapters: { slack }, render: (u) => ({ title: u.id, blocks: [] }), clock, logger: silentLogger(), baseBackoffMs: 10 });
    const leaderEvents: string[] = [];
    const leadership = createLeadership({
      leases: store.leases, name: 'leader', holderId: 'me', ttlMs: 600, renewEveryMs: 150, logger: silentLogger(),
      onElected: async () => { leaderEvents.push('elected'); },
      onDemoted: async () => { leaderEvents.push('demoted'); },
    });
    const channel = { platform: 'slack' as const, channel: 'C1' };

    try {
      await leadership.start();
      await store.seenItems.add(['feed\u0000first']);
      await store.outbox.enqueue([postDelivery(update('u1'), channel, clock.now())]);
      await store.updates.put(update('u1'));
      expect(await deliverer.deliverDue()).toEqual({ sent: 1, deferred: 0, failed: 0, superseded: 0 });
      await store.outbox.enqueue([postDelivery(update('u2'), channel, clock.now())]);
      await store.updates.put(update('u2'));

      await redis.kill();
      await until(() => !store!.isAvailable(), 5_000, 'noticing the outage');
      await expect(store.seenItems.has('feed\u0000first')).rejects.toThrow();
      await expect(store.seenItems.add(['feed\u0000second'])).rejects.toThrow();
      await expect(store.outbox.due(clock.now(), 10)).rejects.toThrow();
      await expect(deliverer.deliverDue()).rejects.toThrow();
      expect(health.snapshot()).toMatchObject({ ok: false, components: { store: { ok: false } } });
      await until(() => !leadership.isLeader(), 2_000, 'stepping down');

      await redis.start();
      await until(() => store!.isAvailable(), 5_000, 'reconnecting');
      expect(health.snapshot().ok).toBe(true);
      await until(() => leadership.isLeader(), 2_000, 'leading again');
      expect(leaderEvents).toEqual(['elected', 'demoted', 'elected']);

      expect(await store.seenItems.has('feed\u0000first')).toBe(true);
      expect(await store.seenItems.has('feed\u0000second')).toBe(false);
      expect(await deliverer.deliverDue()).toEqual({ sent: 1, deferred: 0, failed: 0, superseded: 0 });
      expect(await deliverer.deliverDue()).toEqual({ sent: 0, deferred: 0, failed: 0, superseded: 0 });
      expect(slack.posts.map((post) => post.deliveryId)).toEqual([
        postDelivery(update('u1'), channel, 0).id,
        postDelivery(update('u2'), channel, 0).id,
      ]);
    } finally {
      await leadership.stop();
    }
  });

  it('fails commands to a Redis that hangs instead of waiting forever, and carries on when it answers again', async () => {
    await redis.start();
    store = await createStore({ dataDir: '', redisUrl: redis.url, namespace: uniqueNamespace(), redisCommandTimeoutMs: 300 });
    await store.seenItems.add(['x']);
    redis.pause();
    try {
      await expect(store.seenItems.has('x')).rejects.toThrow();
    } finally {
      redis.resume();
    }
    await until(() => store!.isAvailable(), 5_000, 'answering again');
    expect(await store.seenItems.has('x')).toBe(true);
  });

  it('starts degraded when Redis is not there yet and works once it is', async () => {
    store = await createStore({ dataDir: '', redisUrl: redis.url, namespace: uniqueNamespace(), redisConnectTimeoutMs: 200 });
    expect(store.isAvailable()).toBe(false);
    await expect(store.seenItems.has('x')).rejects.toThrow();
    await redis.start();
    await until(() => store!.isAvailable(), 5_000, 'connecting');
    await store.seenItems.add(['x']);
    expect(await store.seenItems.has('x')).toBe(true);
  });
});
