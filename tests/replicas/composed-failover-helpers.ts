// Set-up for the composed failover test: real `storywatch run` processes as a user starts them,
// their JSON logs, a config directory on disk pointing at the loopback fakes, and the shared
// Redis namespace (nudged and cleaned up through the product's own store or a Lua script).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@keyv/redis';
import { parseDocument } from 'yaml';
import type { ManagedStore } from '../../src/store/keyv-store.js';
import { writeTwoOutletFeeds } from '../fixtures/pipeline.js';
import type { FeedServer } from '../fakes/feed-server.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const STORY_SLUG = 'facebook-partners';

/** A statement the bundled story matches (checked with `storywatch replay`): RBC denies, in its spokesperson's words. */
export const rbcDenial = {
  title: 'RBC denies it could read Facebook users’ private messages',
  guid: 'rbc-a',
  link: 'https://outlet-a.example/rbc-denies',
  description:
    'The Times reported that the Royal Bank of Canada had the ability to read, write and delete users’ private messages. ' +
    'An RBC spokesperson said: "RBC did not have access to Facebook users’ private messages, and we never asked for it."',
  pubDate: 'Thu, 20 Dec 2018 10:00:00 GMT',
};

/** One pino JSON line from a bot's stderr (or a raw line that was not JSON, as msg). */
export interface LogLine {
  msg: string;
  level?: number;
  receivedAt: number;
  [field: string]: unknown;
}

export interface BotProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logs: LogLine[];
  /** Resolves when the process has exited, with its code or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  logged(msg: string): LogLine | undefined;
  waitForLog(what: string, predicate: (line: LogLine) => boolean, timeoutMs: number): Promise<LogLine>;
  /** The last log lines, for failure messages. */
  tail(lines?: number): string;
}

/** Starts `node bin/storywatch.mjs run` from the repository root with only the given environment (plus PATH). */
export function startBot(name: string, env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, ['bin/storywatch.mjs', 'run'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let exitedAlready = false;
  const collect = (stream: NodeJS.ReadableStream) => {
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const complete = buffered.split('\n');
      buffered = complete.pop()!;
      for (const text of complete) if (text.trim() !== '') logs.push(parseLine(text));
    });
  };
  collect(child.stdout!);
  collect(child.stderr!);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exitedAlready = true;
      resolve({ code, signal });
    });
  });
  const tail = (count = 15) =>
    logs
      .slice(-count)
      .map(({ receivedAt: _receivedAt, ...line }) => JSON.stringify(line))
      .join('\n');
  return {
    name,
    child,
    logs,
    exited,
    hasExited: () => exitedAlready,
    logged: (msg) => logs.find((line) => line.msg === msg),
    async waitForLog(what, predicate, timeoutMs) {
      try {
        await waitUntil(() => logs.some(predicate) || exitedAlready, timeoutMs, what);
      } catch {
        throw new Error(`bot ${name}: ${what} not logged within ${timeoutMs} ms; last lines:\n${tail()}`);
      }
      const line = logs.find(predicate);
      if (line === undefined) throw new Error(`bot ${name} exited before ${what}; last lines:\n${tail()}`);
      return line;
    },
    tail,
  };
}

function parseLine(text: string): LogLine {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return { ...parsed, msg: String(parsed.msg ?? ''), receivedAt: Date.now() };
  } catch {
    return { msg: text, receivedAt: Date.now() };
  }
}

/** Kills a bot that is still running and waits for it to be gone. */
export async function killBot(bot: BotProcess): Promise<void> {
  if (!bot.hasExited()) bot.child.kill('SIGKILL');
  await bot.exited;
}

/** Polls a condition every 20 ms; rejects naming `what` after timeoutMs. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A config directory as an operator would write it: the bundled story with its Slack channel set,
 * and a feeds file with two outlets on the local feed server. Returns the env variables that point at it.
 */
export function writeBotConfig(dir: string, feeds: FeedServer, slackChannel: string): Record<string, string> {
  const storiesDir = join(dir, 'config', 'stories');
  mkdirSync(storiesDir, { recursive: true });
  const story = parseDocument(readFileSync(join(REPO_ROOT, 'config', 'stories', `${STORY_SLUG}.yaml`), 'utf8'));
  story.setIn(['channels', 'slack'], slackChannel);
  writeFileSync(join(storiesDir, `${STORY_SLUG}.yaml`), String(story));
  const feedsFile = join(dir, 'config', 'feeds.yaml');
  writeTwoOutletFeeds(feedsFile, feeds);
  return { STORYWATCH_CONFIG_DIR: join(dir, 'config'), STORYWATCH_FEEDS_FILE: feedsFile };
}

/**
 * Makes feeds due now in the shared store. Feeds poll at most once a minute, so without this a
 * new item would wait a minute for the next poll; the leader picks them up on its next tick.
 */
export async function makeFeedsDueNow(store: ManagedStore, feedIds: string[]): Promise<void> {
  for (const feedId of feedIds) {
    const state = await store.feedStates.get(feedId);
    if (state === undefined) throw new Error(`feed ${feedId} has never been polled`);
    await store.feedStates.set({ ...state, nextPollAt: Date.now() });
  }
}

// In Lua, so keys holding NUL bytes are deleted exactly as they are stored.
const DELETE_BY_PATTERN = `
local keys = redis.call('KEYS', ARGV[1])
for i = 1, #keys, 500 do
  redis.call('DEL', unpack(keys, i, math.min(i + 499, #keys)))
end
return #keys`;

/** Deletes every key that starts with the namespace; returns how many there were. */
export async function deleteKeysStartingWith(redisUrl: string, namespace: string): Promise<number> {
  if (!/^[\w.-]+$/.test(namespace)) throw new Error(`refusing a namespace with glob characters: ${namespace}`);
  const client = createClient({ url: redisUrl });
  await client.connect();
  try {
    return Number(await client.eval(DELETE_BY_PATTERN, { arguments: [`${namespace}*`] }));
  } finally {
    client.destroy();
  }
}
