// The outbox: one entry per message that must reach one destination exactly once.
// A sorted index of pending ids by nextAttemptAt makes due() one range query.
import type { Delivery } from '../core/model.js';
import type { Outbox } from '../core/ports.js';
import type { StoreBackend } from './backend.js';

/** Rounds of due() that skip stale index members before returning what it has. */
const MAX_DUE_ROUNDS = 4;

export function createOutbox(backend: StoreBackend, namespace: string): Outbox {
  const keyOf = (id: string) => `${namespace}:outbox:${id}`;
  const pendingIndex = `${namespace}:outbox-pending`;

  // Invariant: every pending entry has an index member (extra members are tolerated and
  // cleaned by due()). So the index is written before a pending value and after a finished one.
  return {
    async enqueue(entries) {
      const pending = entries.filter((entry) => entry.status === 'pending');
      await backend.indexes.add(pendingIndex, pending.map((entry) => ({ member: entry.id, score: entry.nextAttemptAt })));
      const added: Delivery[] = [];
      for (const entry of entries) {
        if (await backend.insertIfAbsent(keyOf(entry.id), entry)) added.push(entry);
      }
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
          if (!entry || entry.status !== 'pending') finished.push(id);
          else if (entry.nextAttemptAt > now) rescheduled.push({ member: id, score: entry.nextAttemptAt });
          else if (due.length < limit) due.push(entry);
        });
        if (finished.length === 0 && rescheduled.length === 0) break;
        await backend.indexes.remove(pendingIndex, finished);
        await backend.indexes.add(pendingIndex, rescheduled);
      }
      return due;
    },
    async put(entry) {
      if (entry.status === 'pending') {
        await backend.indexes.add(pendingIndex, [{ member: entry.id, score: entry.nextAttemptAt }]);
        await backend.keyv.set(keyOf(entry.id), entry);
      } else {
        await backend.keyv.set(keyOf(entry.id), entry);
        await backend.indexes.remove(pendingIndex, [entry.id]);
      }
    },
  };
}
