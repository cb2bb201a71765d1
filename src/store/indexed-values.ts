// Reading values through an index, and pruning index members without racing the writers.
//
// Every writer stores a value BEFORE it indexes it. So a member whose value is missing is either
// garbage (a crash between deleting a value and unindexing it, or data from older versions) or
// a member whose value is being rewritten right now. Pruning therefore removes first and reads
// again afterwards: a writer that indexed during the removal had already stored its value, so the
// second read sees it and the member goes back. Nothing a writer indexed is ever lost.
import type { StoreBackend } from './backend.js';

/**
 * Removes members from an index unless, read again after the removal, their value says they
 * belong there: `indexScoreOf` gives the score to restore, or undefined for "does not belong".
 */
export async function unindexUnlessStored<T>(
  backend: StoreBackend,
  index: string,
  members: string[],
  keyOf: (member: string) => string,
  indexScoreOf: (value: T) => number | undefined,
): Promise<void> {
  if (members.length === 0) return;
  await backend.indexes.remove(index, members);
  const values = (await backend.keyv.getMany<T>(members.map(keyOf))) as Array<T | undefined | null>;
  const restored: { member: string; score: number }[] = [];
  values.forEach((value, position) => {
    if (value === undefined || value === null) return;
    const score = indexScoreOf(value);
    if (score !== undefined) restored.push({ member: members[position]!, score });
  });
  await backend.indexes.add(index, restored);
}

/** Loads the values behind index members in order, pruning members whose value is gone. */
export async function loadIndexed<T>(
  backend: StoreBackend,
  index: string,
  members: string[],
  keyOf: (member: string) => string,
  indexScoreOf: (value: T) => number,
): Promise<T[]> {
  if (members.length === 0) return [];
  const values = (await backend.keyv.getMany<T>(members.map(keyOf))) as Array<T | undefined | null>;
  const found: T[] = [];
  const gone: string[] = [];
  values.forEach((value, position) => {
    if (value === undefined || value === null) gone.push(members[position]!);
    else found.push(value);
  });
  await unindexUnlessStored(backend, index, gone, keyOf, indexScoreOf);
  return found;
}
