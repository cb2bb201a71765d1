// Reading values through an index that may hold members whose value is gone.
import type { StoreBackend } from './backend.js';

/** Loads the values behind index members in order, dropping (and unindexing) members whose value is gone. */
export async function loadIndexed<T>(
  backend: StoreBackend,
  index: string,
  members: string[],
  keyOf: (member: string) => string,
): Promise<T[]> {
  if (members.length === 0) return [];
  const values = (await backend.keyv.getMany<T>(members.map(keyOf))) as Array<T | undefined>;
  const found: T[] = [];
  const gone: string[] = [];
  values.forEach((value, position) => {
    if (value === undefined || value === null) gone.push(members[position]!);
    else found.push(value);
  });
  if (gone.length > 0) await backend.indexes.remove(index, gone);
  return found;
}
