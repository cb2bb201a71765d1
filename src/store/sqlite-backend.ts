// The embedded default: one SQLite file under the data dir, no server needed.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Keyv } from 'keyv';
import type { Leases } from '../core/ports.js';
import { serializeForKeyv, type IndexEntry, type IndexRange, type SortedIndexes, type StoreBackend } from './backend.js';
import { SqliteKeyvAdapter } from './sqlite-keyv-adapter.js';

export const SQLITE_FILE_NAME = 'storywatch.sqlite';

export interface SqliteBackendOptions {
  dataDir: string;
  now: () => number;
}

export function createSqliteBackend(options: SqliteBackendOptions): StoreBackend {
  mkdirSync(options.dataDir, { recursive: true });
  const db = new Database(join(options.dataDir, SQLITE_FILE_NAME));
  // WAL survives a killed process without losing committed rows; NORMAL sync is enough for that.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const adapter = new SqliteKeyvAdapter(db, options.now);
  const keyv = new Keyv({ store: adapter, namespace: undefined, useKeyPrefix: false, throwOnErrors: true });
  let open = true;

  return {
    kind: 'sqlite',
    keyv,
    async insertIfAbsent(key, value) {
      return adapter.insertIfAbsent(key, await serializeForKeyv(keyv, value));
    },
    indexes: createSqliteIndexes(db),
    leases: createSqliteLeases(db, options.now),
    async sweepExpired() {
      return adapter.sweepExpired();
    },
    isAvailable: () => open,
    onAvailabilityChange: () => () => {},
    async close() {
      if (!open) return;
      open = false;
      db.close();
    },
  };
}

function createSqliteIndexes(db: Database.Database): SortedIndexes {
  db.exec(`CREATE TABLE IF NOT EXISTS sorted_index (
    name TEXT NOT NULL,
    member TEXT NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (name, member)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS sorted_index_by_score ON sorted_index(name, score, member);`);
  const upsert = db.prepare<[string, string, number]>(
    'INSERT INTO sorted_index (name, member, score) VALUES (?, ?, ?) ON CONFLICT(name, member) DO UPDATE SET score = excluded.score',
  );
  const remove = db.prepare<[string, string]>('DELETE FROM sorted_index WHERE name = ? AND member = ?');
  const ascending = db.prepare<[string, number, number], { member: string }>(
    'SELECT member FROM sorted_index WHERE name = ? AND score <= ? ORDER BY score, member LIMIT ?',
  );
  const descending = db.prepare<[string, number, number], { member: string }>(
    'SELECT member FROM sorted_index WHERE name = ? AND score <= ? ORDER BY score DESC, member DESC LIMIT ?',
  );
  const addAll = db.transaction((name: string, entries: IndexEntry[]) => {
    for (const entry of entries) upsert.run(name, entry.member, entry.score);
  });
  const removeAll = db.transaction((name: string, members: string[]) => {
    for (const member of members) remove.run(name, member);
  });

  return {
    async add(name, entries) {
      addAll(name, entries);
    },
    async remove(name, members) {
      removeAll(name, members);
    },
    async range(name, range: IndexRange = {}) {
      const statement = range.descending ? descending : ascending;
      // SQLite takes -1 as "no limit"; scores are finite numbers.
      const rows = statement.all(name, range.maxScore ?? Number.MAX_VALUE, range.limit ?? -1);
      return rows.map((row) => row.member);
    },
  };
}

/** Leases in the same file: one statement takes a free/expired lease or renews our own. */
function createSqliteLeases(db: Database.Database, now: () => number): Leases {
  db.exec(`CREATE TABLE IF NOT EXISTS leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;`);
  const acquire = db.prepare<{ name: string; holder: string; expiresAt: number; now: number }>(
    `INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expiresAt)
     ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
     WHERE leases.holder = excluded.holder OR leases.expires_at <= @now`,
  );
  const release = db.prepare<[string, string]>('DELETE FROM leases WHERE name = ? AND holder = ?');
  return {
    async acquire(name, holder, ttlMs) {
      const at = now();
      return acquire.run({ name, holder, expiresAt: at + ttlMs, now: at }).changes === 1;
    },
    async release(name, holder) {
      release.run(name, holder);
    },
  };
}
