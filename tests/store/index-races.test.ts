// Readers and writers of indexed values overlapping: the delivery task's due() while the
// pipeline enqueues, /story while an update is stored, /subscribe while a DM looks subscribers up.
// Nothing written may fall out of its index, and garbage members are still pruned.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedState, Subscription, Update } from '../../src/core/model.js';
import type { StoreBackend } from '../../src/store/backend.js';
import { createFeedStates } from '../../src/store/feed-states.js';
import { createOutbox } from '../../src/store/outbox.js';
import { createRedisBackend } from '../../src/store/redis-backend.js';
import { createSqliteBackend } from '../../src/store/sqlite-backend.js';
import { createSubscriptions } from '../../src/store/subscriptions.js';
import { createUpdates } from '../../src/store/updates.js';
import { deleteRedisNamespace, makeTempDir, pendingDelivery, REDIS_URL, uniqueNamespace } from './store-test-helpers.js';

const NOW = Date.UTC(2026, 0, 1);
const ENTRIES = 300;
const BATCH = 3;

interface Opened {
  backend: StoreBackend;
  namespace: string;
  cleanup(): Promise<void>;
}

const backends: { name: string; skip: boolean; open(): Promise<Opened> }[] = [
  {
    name: 'SQLite file',
    skip: false,
    async open() {
      const temp = makeTempDir();
      const backend = createSqliteBackend({ dataDir: temp.dir, now: () => NOW });
      return { backend, namespace: 'test', cleanup: async () => { await backend.close(); temp.remove(); } };
    },
  },
  {
    name: 'Redis (runs only with REDIS_URL set)',
    skip: !REDIS_URL,
    async open() {
      const namespace = uniqueNamespace();
      const backend = await createRedisBackend({ url: REDIS_URL! });
      return {
        backend,
        namespace,
        cleanup: async () => {
          await backend.close();
          await deleteRedisNamespace(REDIS_URL!, namespace);
        },
      };
    },
  },
];

/** A small seeded generator, so the interleavings are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Yields to other pending work a few times (0..7 turns of the microtask queue). */
async function yieldSome(random: () => number): Promise<void> {
  const turns = Math.floor(random() * 8);
  for (let turn = 0; turn < turns; turn += 1) await null;
}

/** Runs each write in turn while a reader keeps reading, with small random pauses on both sides. */
async function writeWhileReading(
  random: () => number,
  writes: Array<() => Promise<unknown>>,
  read: () => Promise<unknown>,
): Promise<void> {
  for (const write of writes) {
    await Promise.all([
      (async () => {
        await yieldSome(random);
        await write();
      })(),
      (async () => {
        for (let reads = 0; reads < 3; reads += 1) {
          await yieldSome(random);
          await read();
        }
      })(),
    ]);
  }
}

/** The backend, except that the first index removal first lets another writer run to completion. */
function withWriteBeforeFirstRemove(backend: StoreBackend, write: () => Promise<unknown>): StoreBackend {
  let pending: (() => Promise<unknown>) | undefined = write;
  const indexes = {
    add: backend.indexes.add.bind(backend.indexes),
    range: backend.indexes.range.bind(backend.indexes),
    async remove(index: string, members: string[]) {
      const writeNow = pending;
      pending = undefined;
      if (writeNow) await writeNow();
      await backend.indexes.remove(index, members);
    },
  };
  return Object.assign(Object.create(backend) as StoreBackend, { indexes });
}

function batches<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

function update(id: string, story: string, createdAt: number): Update {
  return {
    id, story, developmentKey: id, companies: ['Acme'], statements: [], why: 'test', score: 1,
    reports: [{ feedId: 'f', source: 'Outlet', title: id, itemKey: id }], revision: 1, createdAt,
  };
}

for (const backendKind of backends) {
  describe.skipIf(backendKind.skip)(`indexed values on ${backendKind.name} under overlapping reads and writes`, () => {
    let opened: Opened;
    beforeEach(async () => {
      opened = await backendKind.open();
    });
    afterEach(async () => opened.cleanup());

    it(`keeps every enqueued entry due when due() runs during enqueue (${ENTRIES} entries)`, async () => {
      const outbox = createOutbox(opened.backend, opened.namespace);
      const entries = Array.from({ length: ENTRIES }, (_, n) => pendingDelivery({ id: `post|u${n}|slack:C1:`, nextAttemptAt: NOW - ENTRIES + n }));
      await writeWhileReading(
        seededRandom(1),
        batches(entries, BATCH).map((batch) => () => outbox.enqueue(batch)),
        () => outbox.due(NOW, 50),
      );

      const stored = await Promise.all(entries.map((entry) => outbox.get(entry.id)));
      expect(stored.filter((entry) => entry?.status === 'pending')).toHaveLength(ENTRIES);
      const due = await outbox.due(NOW, ENTRIES * 2);
      expect(due.map((entry) => entry.id)).toEqual(entries.map((entry) => entry.id));
    });

    it('keeps a rescheduled entry due when due() runs while it is put back as pending', async () => {
      const outbox = createOutbox(opened.backend, opened.namespace);
      const entries = Array.from({ length: ENTRIES }, (_, n) => pendingDelivery({ id: `dm|u${n}|slack::U1`, nextAttemptAt: NOW - 1 }));
      await outbox.enqueue(entries);
      await writeWhileReading(
        seededRandom(2),
        entries.map((entry) => () => outbox.put({ ...entry, attempts: 1, nextAttemptAt: NOW + 10 })),
        () => outbox.due(NOW, 50),
      );
      expect(await outbox.due(NOW, ENTRIES)).toEqual([]);
      expect((await outbox.due(NOW + 10, ENTRIES * 2)).map((entry) => entry.attempts)).toEqual(entries.map(() => 1));
    });

    it(`lists every stored update of a story when /story reads during the puts (${ENTRIES} updates)`, async () => {
      const updates = createUpdates(opened.backend, opened.namespace);
      const all = Array.from({ length: ENTRIES }, (_, n) => update(`u${n}`, 'story-a', NOW + n));
      await writeWhileReading(
        seededRandom(3),
        all.map((value) => () => updates.put(value)),
        () => updates.listByStory('story-a', 5),
      );
      const listed = await updates.listByStory('story-a', ENTRIES * 2);
      expect(listed.map((value) => value.id)).toEqual(all.map((value) => value.id).reverse());
    });

    it(`lists every subscription of a company when a lookup runs during the adds (${ENTRIES} subscriptions)`, async () => {
      const subscriptions = createSubscriptions(opened.backend, opened.namespace);
      const all: Subscription[] = Array.from({ length: ENTRIES }, (_, n) => ({
        platform: 'slack', userId: `U${n}`, company: 'Acme', mode: 'dm', createdAt: NOW + n,
      }));
      await writeWhileReading(
        seededRandom(4),
        all.map((subscription) => () => subscriptions.add(subscription)),
        async () => {
          await subscriptions.listByCompany('Acme', 'story-a');
          await subscriptions.listByUser('slack', 'U0');
        },
      );
      expect(await subscriptions.listByCompany('Acme', 'story-a')).toHaveLength(ENTRIES);
      expect(await subscriptions.listByUser('slack', `U${ENTRIES - 1}`)).toHaveLength(1);
    });

    it(`lists every feed state when list() runs during the sets (${ENTRIES} feeds)`, async () => {
      const feedStates = createFeedStates(opened.backend, opened.namespace);
      const all: FeedState[] = Array.from({ length: ENTRIES }, (_, n) => ({ feedId: `feed-${n}`, status: 'ok', consecutiveFailures: 0 }));
      await writeWhileReading(
        seededRandom(5),
        all.map((state) => () => feedStates.set(state)),
        () => feedStates.list(),
      );
      expect(await feedStates.list()).toHaveLength(ENTRIES);
    });

    it('keeps an update stored and indexed while a reader is pruning its id as garbage', async () => {
      const index = `${opened.namespace}:updates-by-story:story-a`;
      const value = update('u1', 'story-a', NOW);
      // A member without a value, as a crash of an older version left it.
      await opened.backend.indexes.add(index, [{ member: value.id, score: value.createdAt }]);
      const writer = createUpdates(opened.backend, opened.namespace);
      // The reader saw no value; the writer stores and indexes it just before the reader removes the member.
      const reader = createUpdates(withWriteBeforeFirstRemove(opened.backend, () => writer.put(value)), opened.namespace);

      expect(await reader.listByStory('story-a')).toEqual([]);
      expect((await reader.listByStory('story-a')).map((listed) => listed.id)).toEqual(['u1']);
    });

    it('keeps an entry enqueued while due() is pruning its id as garbage', async () => {
      const entry = pendingDelivery({ id: 'post|u1|slack:C1:', nextAttemptAt: NOW });
      await opened.backend.indexes.add(`${opened.namespace}:outbox-pending`, [{ member: entry.id, score: NOW }]);
      const writer = createOutbox(opened.backend, opened.namespace);
      const reader = createOutbox(withWriteBeforeFirstRemove(opened.backend, () => writer.enqueue([entry])), opened.namespace);

      expect(await reader.due(NOW, 10)).toEqual([]);
      expect((await reader.due(NOW, 10)).map((due) => due.id)).toEqual([entry.id]);
    });

    it('indexes an entry stored by an enqueue that crashed before indexing it, when it is enqueued again', async () => {
      const outbox = createOutbox(opened.backend, opened.namespace);
      const entry = pendingDelivery({ id: 'post|u1|slack:C1:', nextAttemptAt: NOW });
      // The crash: the value is stored, the index member never written.
      expect(await opened.backend.insertIfAbsent(`${opened.namespace}:outbox:${entry.id}`, entry)).toBe(true);
      expect(await outbox.due(NOW, 10)).toEqual([]);

      // Re-processing the item enqueues the same id: not added again, but due now.
      expect(await outbox.enqueue([entry])).toEqual([]);
      expect((await outbox.due(NOW, 10)).map((due) => due.id)).toEqual([entry.id]);
    });

    it('does not index again an entry that was already finished when it is enqueued again', async () => {
      const outbox = createOutbox(opened.backend, opened.namespace);
      const entry = pendingDelivery({ id: 'post|u1|slack:C1:', nextAttemptAt: NOW });
      await outbox.enqueue([entry]);
      await outbox.put({ ...entry, status: 'done' });
      expect(await outbox.enqueue([entry])).toEqual([]);
      expect(await opened.backend.indexes.range(`${opened.namespace}:outbox-pending`)).toEqual([]);
    });

    it('prunes index members whose value is gone (left by a crash) when reading', async () => {
      const { backend, namespace } = opened;
      const outbox = createOutbox(backend, namespace);
      const updates = createUpdates(backend, namespace);
      const subscriptions = createSubscriptions(backend, namespace);
      await backend.indexes.add(`${namespace}:outbox-pending`, [{ member: 'ghost', score: NOW - 1 }]);
      await backend.indexes.add(`${namespace}:updates-by-story:story-a`, [{ member: 'ghost', score: NOW }]);
      await updates.put(update('u1', 'story-a', NOW - 5));
      // A crash between deleting a subscription and unindexing it.
      await subscriptions.add({ platform: 'slack', userId: 'U1', company: 'Acme', mode: 'dm', createdAt: NOW });
      await backend.keyv.delete(`${namespace}:subscription:${JSON.stringify(['slack', 'U1', 'Acme', '*'])}`);

      expect(await outbox.due(NOW, 10)).toEqual([]);
      expect((await updates.listByStory('story-a')).map((value) => value.id)).toEqual(['u1']);
      expect(await subscriptions.listByCompany('Acme', 'story-a')).toEqual([]);
      expect(await subscriptions.listByUser('slack', 'U1')).toEqual([]);

      expect(await backend.indexes.range(`${namespace}:outbox-pending`)).toEqual([]);
      expect(await backend.indexes.range(`${namespace}:updates-by-story:story-a`)).toEqual(['u1']);
      expect(await backend.indexes.range(`${namespace}:subscriptions-by-company:Acme`)).toEqual([]);
    });
  });
}
