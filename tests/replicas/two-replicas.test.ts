import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/app/logger.js';
import { createStore } from '../../src/store/keyv-store.js';
import { finalPostTexts, startFakeChatServer } from '../delivery/crash/fake-chat-server.js';
import { HttpChatAdapter } from '../delivery/crash/http-chat-adapter.js';
import { runWorkload, type WorkloadOptions } from '../delivery/crash/workload.js';
import { deleteRedisNamespace, makeTempDir, REDIS_URL, uniqueNamespace } from '../store/store-test-helpers.js';

const CHILD = fileURLToPath(new URL('./replica-child.ts', import.meta.url));
const OPTIONS: WorkloadOptions = { mode: 'pipeline', items: 500, batch: 10 };
/** As in replica-child.ts. */
const LEASE_TTL_MS = 1_500;

interface Replica {
  process: ChildProcess;
  lines: { text: string; at: number }[];
  exited: Promise<void>;
  waitFor(text: string, timeoutMs: number): Promise<number>;
}

function startReplica(args: string[]): Replica {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: { text: string; at: number }[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const complete = buffered.split('\n');
    buffered = complete.pop()!;
    for (const text of complete) lines.push({ text, at: Date.now() });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    lines,
    exited,
    async waitFor(text, timeoutMs) {
      const started = Date.now();
      for (;;) {
        const line = lines.find((candidate) => candidate.text === text);
        if (line) return line.at;
        if (Date.now() - started > timeoutMs) throw new Error(`replica did not say "${text}" within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

/** The workload on a SQLite store, delivered to its own fake server: which messages, and what posts show. */
async function expectedMessages(): Promise<{ sentIds: string[]; posts: Map<string, string> }> {
  const server = await startFakeChatServer();
  const temp = makeTempDir();
  const store = await createStore({ dataDir: temp.dir });
  try {
    const adapters = { slack: new HttpChatAdapter('slack', server.url), discord: new HttpChatAdapter('discord', server.url) };
    await runWorkload({ store, adapters, clock: { now: () => Date.now() }, logger: silentLogger() }, OPTIONS);
    return { sentIds: server.sent.map((record) => record.deliveryId).sort(), posts: finalPostTexts(server.sent, server.edits) };
  } finally {
    await store.close();
    temp.remove();
    await server.close();
  }
}

describe.skipIf(!REDIS_URL)('two replicas sharing Redis (runs only with REDIS_URL set)', () => {
  const replicas: Replica[] = [];
  afterEach(async () => {
    for (const replica of replicas.splice(0)) {
      replica.process.kill('SIGKILL');
      await replica.exited;
    }
  });

  it('lets one lead; when it is killed the other takes over within the lease time and nothing is posted twice', async () => {
    const expected = await expectedMessages();
    const namespace = uniqueNamespace();
    const server = await startFakeChatServer({ unavailableRate: 0.02, rateLimitedRate: 0.02, dropAfterAcceptRate: 0.02, seed: 5 });
    try {
      const args = (holder: string) => [REDIS_URL!, namespace, server.url, String(OPTIONS.items), String(OPTIONS.batch), holder];
      const first = startReplica(args('replica-a'));
      replicas.push(first);
      await first.waitFor('leader', 10_000);
      const second = startReplica(args('replica-b'));
      replicas.push(second);
      await second.waitFor('ready', 10_000);

      // Kill the leader part-way through its work.
      await first.waitFor('progress 100', 10_000);
      expect(second.lines.some((line) => line.text === 'leader')).toBe(false);
      first.process.kill('SIGKILL');
      await first.exited;
      const killedAt = Date.now();
      expect(first.lines.some((line) => line.text === 'progress 500')).toBe(false);

      const electedAt = await second.waitFor('leader', 30_000);
      expect(electedAt - killedAt).toBeLessThan(LEASE_TTL_MS + 1_000);
      await second.waitFor('done', 20_000);

      const timesSent = new Map<string, number>();
      for (const record of server.sent) timesSent.set(record.deliveryId, (timesSent.get(record.deliveryId) ?? 0) + 1);
      expect([...timesSent].filter(([, count]) => count > 1)).toEqual([]);
      expect([...timesSent.keys()].sort()).toEqual(expected.sentIds);
      expect(finalPostTexts(server.sent, server.edits)).toEqual(expected.posts);
    } finally {
      await server.close();
      await deleteRedisNamespace(REDIS_URL!, namespace);
    }
  }, 60_000);
});
