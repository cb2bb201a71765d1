import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/app/logger.js';
import { createStore } from '../../src/store/keyv-store.js';
import { RecordingChatAdapter } from '../fakes/recording-chat-adapter.js';
import { makeTempDir } from '../store/store-test-helpers.js';
import { finalPostTexts, startFakeChatServer, type EditRecord, type SentRecord } from './crash/fake-chat-server.js';
import { messageText } from './crash/http-chat-adapter.js';
import { runCrashChild } from './crash/run-child.js';
import { runWorkload, seededRandom, type WorkloadOptions } from './crash/workload.js';

const ITEMS = 500;
const RESTARTS = 5;
const SEED = Number(process.env.CRASH_SEED ?? 42);

interface Expected {
  /** Delivery ids of every post and DM. */
  sentIds: string[];
  /** What each channel post ends up showing. */
  posts: Map<string, string>;
}

/** The same work in this process, with nothing going wrong: what the platform should end up showing. */
async function referenceRun(options: WorkloadOptions): Promise<Expected> {
  const temp = makeTempDir();
  const store = await createStore({ dataDir: temp.dir });
  const slack = new RecordingChatAdapter('slack', { canFindSent: false });
  const discord = new RecordingChatAdapter('discord', { canFindSent: false });
  try {
    await runWorkload({ store, adapters: { slack, discord }, clock: { now: () => Date.now() }, logger: silentLogger() }, options);
  } finally {
    await store.close();
    temp.remove();
  }
  const sent: SentRecord[] = [];
  const edits: EditRecord[] = [];
  for (const adapter of [slack, discord]) {
    for (const [action, log] of [['post', adapter.posts], ['dm', adapter.dms]] as const) {
      for (const record of log) {
        sent.push({ platform: adapter.platform, action, target: record.target, deliveryId: record.deliveryId, id: record.ref.id, text: messageText(record.message) });
      }
    }
    for (const edit of adapter.edits) edits.push({ platform: adapter.platform, id: edit.ref.id, text: messageText(edit.message) });
  }
  return { sentIds: sent.map((record) => record.deliveryId).sort(), posts: finalPostTexts(sent, edits) };
}

describe('a storywatch process killed with SIGKILL at random points', () => {
  it(`posts every update of ${ITEMS} items exactly once across ${RESTARTS} kills and restarts (seed ${SEED})`, async () => {
    const options: WorkloadOptions = { mode: 'pipeline', items: ITEMS, batch: 25 };
    const expected = await referenceRun(options);
    expect(expected.posts.size).toBeGreaterThan(ITEMS / 2);

    const server = await startFakeChatServer({ unavailableRate: 0.03, rateLimitedRate: 0.02, dropAfterAcceptRate: 0.02, seed: SEED });
    const temp = makeTempDir('storywatch-crash-');
    const random = seededRandom(SEED);
    const args = [temp.dir, server.url, options.mode, String(options.items), String(options.batch)];
    try {
      const kills: boolean[] = [];
      for (let restart = 0; restart < RESTARTS; restart += 1) {
        // Somewhere in the next stretch of items, a random moment after a random batch: each run
        // gets further, and every run is cut off mid-work however fast or slow the machine is.
        const threshold = Math.floor((ITEMS * (restart + random() * 0.8)) / (RESTARTS + 1));
        const extraMs = Math.floor(random() * 40);
        const run = await runCrashChild(args, (line) =>
          line.startsWith('progress ') && Number(line.slice('progress '.length)) >= threshold ? extraMs : undefined,
        );
        kills.push(run.killed);
        expect(run.stderr).toBe('');
      }
      const last = await runCrashChild(args);
      expect(last.stderr).toBe('');
      expect(last.exitCode).toBe(0);
      // Every run was cut off mid-work; otherwise the test would prove little.
      expect(kills).toEqual(Array(RESTARTS).fill(true));

      const timesSent = new Map<string, number>();
      for (const record of server.sent) timesSent.set(record.deliveryId, (timesSent.get(record.deliveryId) ?? 0) + 1);
      const duplicates = [...timesSent].filter(([, count]) => count > 1);
      expect(duplicates).toEqual([]);
      expect([...timesSent.keys()].sort()).toEqual(expected.sentIds);
      // Edits were not lost either: each post ends up showing what it shows without crashes.
      expect(finalPostTexts(server.sent, server.edits)).toEqual(expected.posts);
    } finally {
      await server.close();
      temp.remove();
    }
  }, 60_000);
});
