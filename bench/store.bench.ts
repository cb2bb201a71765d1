// Store and delivery benchmarks: per-item store work, exactly-once delivery across SIGKILL
// restarts, and memory over a simulated day. Sizes can be shrunk with environment variables:
//   STORE_BENCH_CRASH_UPDATES (default 10000), STORE_BENCH_RESTARTS (5), STORE_BENCH_DAY_FEEDS (1000)
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Delivery, FeedState, Update } from '../src/core/model.js';
import { postDelivery } from '../src/core/deliveries.js';
import { createStore, type ManagedStore } from '../src/store/keyv-store.js';
import { finalPostTexts, startFakeChatServer } from '../tests/delivery/crash/fake-chat-server.js';
import { messageText } from '../tests/delivery/crash/http-chat-adapter.js';
import { runCrashChild } from '../tests/delivery/crash/run-child.js';
import { isFollowUp, renderForTest, seededRandom } from '../tests/delivery/crash/workload.js';
import { FakeClock } from '../tests/fakes/fake-clock.js';
import { makeTempDir } from '../tests/store/store-test-helpers.js';
import type { BenchRow } from './bench-types.js';
import { median } from './measure.js';

const CRASH_UPDATES = Number(process.env.STORE_BENCH_CRASH_UPDATES ?? 10_000);
const RESTARTS = Number(process.env.STORE_BENCH_RESTARTS ?? 5);
const DAY_FEEDS = Number(process.env.STORE_BENCH_DAY_FEEDS ?? 1_000);

function update(id: string, now: number): Update {
  return {
    id, story: 'bench', developmentKey: id, companies: ['Acme'], statements: [], why: 'bench', score: 7,
    reports: [{ feedId: 'wire', source: 'Wire', title: `Headline ${id}`, itemKey: id, link: `https://example.test/${id}` }],
    revision: 0, createdAt: now,
  };
}

/** One item's store work as the pipeline does it: seen check, outbox enqueue, update put, mark seen. */
async function perItemStoreWork(store: ManagedStore, items: number, prefix: string): Promise<number[]> {
  const timings: number[] = [];
  for (let index = 0; index < items; index += 1) {
    const id = `${prefix}-${index}`;
    const started = performance.now();
    const now = Date.now();
    if (!(await store.seenItems.has(`wire\u0000${id}`))) {
      const current = update(id, now);
      await store.outbox.enqueue([
        postDelivery(current, { platform: 'slack', channel: 'C-news' }, now),
        postDelivery(current, { platform: 'discord', channel: 'D-news' }, now),
      ]);
      await store.updates.put(current);
      await store.seenItems.add([`wire\u0000${id}`]);
    }
    timings.push(performance.now() - started);
  }
  return timings;
}

/** The same work straight on better-sqlite3 (no keyv, no indexes): the floor the store is compared to. */
function perItemRawSqlite(dir: string, items: number, prefix: string): number[] {
  const db = new Database(join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER) WITHOUT ROWID');
  const get = db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?');
  const put = db.prepare<[string, string, number | null]>('INSERT OR REPLACE INTO kv VALUES (?, ?, ?)');
  const insert = db.prepare<[string, string]>('INSERT OR IGNORE INTO kv VALUES (?, ?, NULL)');
  const timings: number[] = [];
  for (let index = 0; index < items; index += 1) {
    const id = `${prefix}-${index}`;
    const started = performance.now();
    const now = Date.now();
    if (!get.get(`seen:${id}`)) {
      const current = update(id, now);
      insert.run(`outbox:post|${id}|slack`, JSON.stringify(postDelivery(current, { platform: 'slack', channel: 'C-news' }, now)));
      insert.run(`outbox:post|${id}|discord`, JSON.stringify(postDelivery(current, { platform: 'discord', channel: 'D-news' }, now)));
      put.run(`update:${id}`, JSON.stringify(current), null);
      put.run(`seen:${id}`, '1', now + 90 * 86_400_000);
    }
    timings.push(performance.now() - started);
  }
  db.close();
  return timings;
}

async function benchPerItem(): Promise<BenchRow[]> {
  const temp = makeTempDir('storywatch-bench-');
  try {
    const store = await createStore({ dataDir: temp.dir });
    await perItemStoreWork(store, 1_000, 'warm');
    const timings = await perItemStoreWork(store, 5_000, 'item');
    await store.close();
    perItemRawSqlite(temp.dir, 1_000, 'warm');
    const raw = perItemRawSqlite(temp.dir, 5_000, 'item');
    const ours = median(timings);
    const floor = median(raw);
    const rows: BenchRow[] = [
      {
        name: 'store work per item, SQLite (seen check + outbox enqueue x2 + update put + mark seen)',
        median: `${ours.toFixed(3)} ms`,
        baseline: `${floor.toFixed(3)} ms (same writes on bare better-sqlite3)`,
        ratio: `${(ours / floor).toFixed(1)}x`,
        target: '< 1 ms',
        pass: ours < 1,
        note: '5,000 items after 1,000 warm-up',
      },
    ];
    if (process.env.REDIS_URL) {
      const namespace = `storywatch-bench-${Date.now()}`;
      const redis = await createStore({ dataDir: '', redisUrl: process.env.REDIS_URL, namespace });
      const redisTimings = await perItemStoreWork(redis, 2_000, 'item');
      await redis.close();
      const { deleteRedisNamespace } = await import('../tests/store/store-test-helpers.js');
      await deleteRedisNamespace(process.env.REDIS_URL, namespace);
      rows.push({
        name: 'store work per item, Redis (same work)',
        median: `${median(redisTimings).toFixed(3)} ms`,
        note: `REDIS_URL, 2,000 items, loopback`,
      });
    }
    return rows;
  } finally {
    temp.remove();
  }
}

/** Updates through outbox and a fake platform while the process is SIGKILLed RESTARTS times. */
async function benchCrashRestarts(): Promise<BenchRow> {
  // Every fifth item is a follow-up (an edit), so this many items make CRASH_UPDATES updates.
  let items = 0;
  for (let updates = 0; updates < CRASH_UPDATES; items += 1) if (!isFollowUp(items)) updates += 1;
  const server = await startFakeChatServer({ unavailableRate: 0.01, rateLimitedRate: 0.01, dropAfterAcceptRate: 0.01, seed: 99 });
  const temp = makeTempDir('storywatch-bench-crash-');
  const random = seededRandom(7);
  const started = performance.now();
  let kills = 0;
  try {
    const args = [temp.dir, server.url, 'outbox', String(items), '50'];
    for (let restart = 1; restart <= RESTARTS; restart += 1) {
      // Kill somewhere in the next slice of the work, at a random moment after a random batch.
      const threshold = Math.floor((items * (restart - 0.5 + random() * 0.4)) / (RESTARTS + 1));
      const extraMs = Math.floor(random() * 50);
      const run = await runCrashChild(args, (line) => {
        const processed = line.startsWith('progress ') ? Number(line.slice('progress '.length)) : -1;
        return processed >= threshold ? extraMs : undefined;
      });
      if (run.killed) kills += 1;
    }
    const last = await runCrashChild(args);
    if (last.exitCode !== 0) throw new Error(`final run failed: ${last.stderr}`);
    const elapsedS = (performance.now() - started) / 1000;

    const timesSent = new Map<string, number>();
    for (const record of server.sent) timesSent.set(record.deliveryId, (timesSent.get(record.deliveryId) ?? 0) + 1);
    const duplicates = [...timesSent.values()].filter((count) => count > 1).length;
    const expectedSends = CRASH_UPDATES * 2 + Math.ceil(items / 3) - countFollowUpsDivisibleBy3(items);
    let followUps = 0;
    for (let index = 0; index < items; index += 1) if (isFollowUp(index)) followUps += 1;
    // A loss is a post that never went out, or one that does not end up showing its update's last
    // revision (an edit went missing). A post sent late may already show it: no edit is needed then.
    const finalTexts = finalPostTexts(server.sent, server.edits);
    const store = await createStore({ dataDir: temp.dir });
    let stale = 0;
    try {
      for (const [deliveryId, text] of finalTexts) {
        const update = await store.updates.get(deliveryId.split('|')[1]!);
        if (!update || text !== messageText(renderForTest(update, { action: 'post' } as Delivery))) stale += 1;
      }
    } finally {
      await store.close();
    }
    const losses = Math.max(0, expectedSends - timesSent.size) + stale;
    const editedMessages = new Set(server.edits.map((edit) => `${edit.platform}|${edit.id}`)).size;
    return {
      name: `${CRASH_UPDATES.toLocaleString('en')} updates through outbox + fake platform across ${RESTARTS} SIGKILL restarts`,
      median: `${duplicates} duplicates, ${losses} losses`,
      target: '0 duplicates, 0 losses',
      pass: duplicates === 0 && losses === 0 && timesSent.size === expectedSends && kills === RESTARTS,
      note: `${timesSent.size.toLocaleString('en')} messages, ${followUps.toLocaleString('en')} follow-ups shown (${editedMessages.toLocaleString('en')} posts edited, the rest posted late with them), ${kills}/${RESTARTS} runs killed mid-work, ${elapsedS.toFixed(1)} s; 1% 503s, 1% 429s, 1% lost answers`,
    };
  } finally {
    await server.close();
    temp.remove();
  }
}

/** DMs go out for new updates whose item index is divisible by 3; follow-ups make none. */
function countFollowUpsDivisibleBy3(items: number): number {
  let count = 0;
  for (let index = 0; index < items; index += 3) if (isFollowUp(index)) count += 1;
  return count;
}

/** A day of polling 1,000 feeds every 15 minutes on a fake clock: heap after GC must stay flat. */
async function benchSimulatedDay(): Promise<BenchRow> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const temp = makeTempDir('storywatch-bench-day-');
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  // A short TTL so the sweep reaches its steady state within the simulated day.
  const store = await createStore({ dataDir: temp.dir, clock, seenTtlMs: 6 * 3_600_000, sweepEveryMs: 3_600_000 });
  const pollEveryMs = 15 * 60_000;
  const itemsPerFeed = 5;
  const heapByHour = new Map<number, number>();
  try {
    for (let poll = 0; poll < 96; poll += 1) {
      for (let feed = 0; feed < DAY_FEEDS; feed += 1) {
        const feedId = `feed-${feed}`;
        const previous = await store.feedStates.get(feedId);
        // The feed's window: the newest item is new this poll, the others were seen before.
        const fresh: string[] = [];
        for (let back = 0; back < itemsPerFeed; back += 1) {
          const key = `${feedId}\u0000item-${poll - back}`;
          if (!(await store.seenItems.has(key))) fresh.push(key);
        }
        await store.seenItems.add(fresh);
        const state: FeedState = {
          feedId, status: 'ok', consecutiveFailures: 0, etag: `"${poll}"`, lastModified: new Date(clock.now()).toUTCString(),
          lastAttemptAt: clock.now(), lastSuccessAt: clock.now(), nextPollAt: clock.now() + pollEveryMs,
          ...(previous?.pauseNotified ? { pauseNotified: true } : {}),
        };
        await store.feedStates.set(state);
      }
      clock.advance(pollEveryMs);
      if ((poll + 1) % 4 === 0) {
        gc();
        heapByHour.set((poll + 1) / 4, process.memoryUsage().heapUsed);
      }
    }
  } finally {
    await store.close();
    temp.remove();
  }
  // Hour 6 is after warm-up (caches, the first TTL expiry); compare it with the end of the day.
  const settled = heapByHour.get(6)!;
  const end = heapByHour.get(24)!;
  const growth = (end - settled) / settled;
  const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
  return {
    name: `heap over a simulated day, ${DAY_FEEDS.toLocaleString('en')} feeds polled every 15 min (fake clock)`,
    median: `${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}% (hour 6 → 24)`,
    baseline: mb(settled),
    target: 'within ±10%',
    pass: Math.abs(growth) <= 0.1,
    note: `heap after GC at hour 24: ${mb(end)}; ${(96 * DAY_FEEDS).toLocaleString('en')} new seen items, 6 h TTL, hourly sweep`,
  };
}

export async function run(): Promise<BenchRow[]> {
  return [...(await benchPerItem()), await benchSimulatedDay(), await benchCrashRestarts()];
}
