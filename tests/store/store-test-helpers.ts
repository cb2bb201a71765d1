// Shared set-up for store tests: temp dirs for SQLite, unique namespaces on the shared Redis.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import type { Delivery, Destination } from '../../src/core/model.js';

export const REDIS_URL = process.env.REDIS_URL;

export function makeTempDir(prefix = 'storywatch-store-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function uniqueNamespace(): string {
  return `storywatch-test-${randomUUID()}`;
}

/** Deletes every key of a namespace from a Redis server. */
export async function deleteRedisNamespace(url: string, namespace: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${namespace}:*`, COUNT: 500 })) keys.push(...batch);
    if (keys.length > 0) await client.del(keys);
  } finally {
    client.destroy();
  }
}

export function pendingDelivery(overrides: Partial<Delivery> & { id: string }): Delivery {
  const destination: Destination = overrides.destination ?? { platform: 'slack', channel: 'C1' };
  return {
    updateId: 'u1',
    revision: 1,
    action: 'post',
    mentions: [],
    status: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
    ...overrides,
    destination,
  };
}
