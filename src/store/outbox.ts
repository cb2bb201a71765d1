// The outbox: one entry per message that must reach one destination exactly once.
// A sorted index of pending ids by nextAttemptAt makes due() one range query.
import type { Delivery } from '../core/model.js';
import type { Outbox } from '../core/ports.js';
import type { StoreBackend } from './backend.js';
import { unindexUnlessStored } from './indexed-values.js';

/** Rounds of due() that skip stale index members before returning what it has. */
const MAX_DUE_ROUNDS = 4;

export function createOutbox(backend: StoreBackend, namespace: string): Outbox {
  const keyOf = (id: string) => `${namespace}:outbox:${id}`;
  const pendingIndex = `${namespace}:outbox-pending`;

  const pendingScoreOf = (entry: Delivery) => (entry.status === 'pending' ? entry.nextAttemptAt : undefined);
  const indexEntryOf = (entry: Delivery) => ({ member: entry.id, score: entry.nextAttemptAt });

  // Invariant: every pending entry has an index member once its writer returns. Values are
  // written before they are indexed (see indexed-values.ts), so due() never meets an indexed id
  // whose entry is still on its way, and it prunes only with a re-read after the removal.
  return {
    async enqueue(entries) {
      const added: Delivery[] = [];
      const alreadyStored: string[] = [];
      for (const entry of entries) {
        if (await backend.insertIfAbsent(keyOf(entry.id), entry)) added.push(entry);
        else alreadyStored.push(entry.id);
      }
      // A crash between storing an entry and indexing it leaves it pending with nothing pointing
      // to it; the re-processed item enqueues the same ids again, so index those still pending.
      const stored =
        alreadyStored.length === 0
          ? []
          : ((await backend.keyv.getMany<Delivery>(alreadyStored.map(keyOf))) as Array<Delivery | undefined | null>);
      const pending = [...added, ...stored].filter((entry): entry is Delivery => entry?.status === 'pending');
      await backend.indexes.add(pendingIndex, pending.map(indexEntryOf));
      return added;
    },
    async get(id) {
      return await backend.keyv.get<Delivery>(keyOf(id));
    },
    async due(now, limit) {
      const due: Delivery[] = [];
      const looked = new Set<string>();
      for (let round = 0; round < MAX_DUE_ROUNDS && due.length < limit; round += 1) {
        // Entries already taken stay in the index and come first again: skip them, never repeat them.
        const ids = (await backend.indexes.range(pendingIndex, { maxScore: now, limit: limit + looked.size })).filter(
          (id) => !looked.has(id),
        );
        if (ids.length === 0) break;
        for (const id of ids) looked.add(id);
        const entries = (await backend.keyv.getMany<Delivery>(ids.map(keyOf))) as Array<Delivery | undefined>;
        const finished: string[] = [];
        const rescheduled: { member: string; score: number }[] = [];
        entries.forEach((entry, position) => {
          const id = ids[position]!;
          // Missing entries are garbage (values are stored before they are indexed).
          if (!entry || entry.status !== 'pending') finished.push(id);
          else if (entry.nextAttemptAt > now) rescheduled.push({ member: id, score: entry.nextAttemptAt });
          else if (due.length < limit) due.push(entry);
        });
        if (finished.length === 0 && rescheduled.length === 0) break;
        await unindexUnlessStored(backend, pendingIndex, finished, keyOf, pendingScoreOf);
        await backend.indexes.add(pendingIndex, rescheduled);
      }
      return due;
    },
    async put(entry) {
      if (entry.status === 'pending') {
        await backend.keyv.set(keyOf(entry.id), entry);
        await backend.indexes.add(pendingIndex, [indexEntryOf(entry)]);
      } else {
        await backend.keyv.set(keyOf(entry.id), entry);
        await backend.indexes.remove(pendingIndex, [entry.id]);
      }
    },
  };
}
