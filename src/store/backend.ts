// What the repositories need from a storage technology: keyv for values, plus the few
// operations keyv cannot express (atomic insert-if-absent, sorted indexes, leases).
import type { Keyv } from 'keyv';
import type { Leases } from '../core/ports.js';

export interface IndexEntry {
  member: string;
  score: number;
}

export interface IndexRange {
  /** Only members whose score is <= maxScore. */
  maxScore?: number;
  limit?: number;
  /** Highest score first (default: lowest first). Ties are ordered by member. */
  descending?: boolean;
}

/**
 * Named sorted sets of ids. Repositories keep them as hints next to keyv values: writers store
 * a value before indexing it, and readers prune a member whose value is gone only with a re-read
 * after the removal (unindexUnlessStored in indexed-values.ts), so no concurrent write is lost.
 */
export interface SortedIndexes {
  /** Adds members, or moves them to a new score. */
  add(index: string, entries: IndexEntry[]): Promise<void>;
  remove(index: string, members: string[]): Promise<void>;
  range(index: string, range?: IndexRange): Promise<string[]>;
}

export interface StoreBackend {
  readonly kind: 'sqlite' | 'redis';
  /** Constructed with throwOnErrors: a failing backend throws instead of answering "absent". */
  readonly keyv: Keyv;
  /** Writes a value (in keyv's format, readable by keyv.get) only if the key is absent: true when written. */
  insertIfAbsent(key: string, value: unknown): Promise<boolean>;
  readonly indexes: SortedIndexes;
  readonly leases: Leases;
  /** Deletes expired values the backend does not expire by itself; returns how many. */
  sweepExpired(): Promise<number>;
  /** True while the backend can serve requests. */
  isAvailable(): boolean;
  /** Called with false when the backend goes away and true when it is back. */
  onAvailabilityChange(listener: (available: boolean, error?: Error) => void): () => void;
  close(): Promise<void>;
}

/** Serialises a value exactly as keyv.set would (no expiry), for writes that bypass keyv. */
export async function serializeForKeyv(keyv: Keyv, value: unknown): Promise<string> {
  const serialize = keyv.serialize;
  if (!serialize) throw new Error('keyv has no serializer');
  return await serialize({ value, expires: undefined });
}
