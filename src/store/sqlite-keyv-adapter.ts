// A keyv storage adapter over better-sqlite3: one table, expiry by an injected clock so
// tests and simulations can drive time. Synchronous under the hood, so it is fast.
import { EventEmitter } from 'node:events';
import type Database from 'better-sqlite3';
import type { KeyvStoreAdapter, StoredData } from 'keyv';

interface Row {
  key: string;
  value: string;
}

export class SqliteKeyvAdapter extends EventEmitter implements KeyvStoreAdapter {
  readonly opts = { dialect: 'sqlite' };
  namespace?: string;
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {
    super();
    db.exec(`CREATE TABLE IF NOT EXISTS kv (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      expires_at INTEGER
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS kv_expires ON kv(expires_at) WHERE expires_at IS NOT NULL;`);
    this.statements = {
      get: db.prepare<[string, number], Row>('SELECT key, value FROM kv WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)'),
      upsert: db.prepare<[string, string, number | null]>(
        'INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at',
      ),
      insertIfAbsent: db.prepare<[string, string]>('INSERT OR IGNORE INTO kv (key, value, expires_at) VALUES (?, ?, NULL)'),
      delete: db.prepare<[string]>('DELETE FROM kv WHERE key = ?'),
      clear: db.prepare('DELETE FROM kv'),
      sweep: db.prepare<[number]>('DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?'),
    };
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return this.statements.get.get(key, this.now())?.value as StoredData<Value> | undefined;
  }

  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    const now = this.now();
    return keys.map((key) => this.statements.get.get(key, now)?.value as StoredData<Value | undefined>);
  }

  async has(key: string): Promise<boolean> {
    return this.statements.get.get(key, this.now()) !== undefined;
  }

  async set(key: string, value: string, ttl?: number): Promise<boolean> {
    this.statements.upsert.run(key, value, this.expiresAt(ttl));
    return true;
  }

  async setMany(entries: Array<{ key: string; value: string; ttl?: number }>): Promise<void> {
    this.db.transaction(() => {
      for (const entry of entries) this.statements.upsert.run(entry.key, entry.value, this.expiresAt(entry.ttl));
    })();
  }

  /** The claim keyv cannot express: true when this call wrote the key. */
  insertIfAbsent(key: string, value: string): boolean {
    return this.statements.insertIfAbsent.run(key, value).changes === 1;
  }

  async delete(key: string): Promise<boolean> {
    return this.statements.delete.run(key).changes > 0;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    let deleted = 0;
    this.db.transaction(() => {
      for (const key of keys) deleted += this.statements.delete.run(key).changes;
    })();
    return deleted > 0;
  }

  async clear(): Promise<void> {
    this.statements.clear.run();
  }

  /** Deletes expired rows; returns how many. */
  sweepExpired(): number {
    return this.statements.sweep.run(this.now()).changes;
  }

  private expiresAt(ttl: number | undefined): number | null {
    return typeof ttl === 'number' && ttl > 0 ? this.now() + ttl : null;
  }
}
