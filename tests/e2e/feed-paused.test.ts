// A feed that keeps failing for about a day is paused, the story channel is told once, and an
// editor resumes it with /feeds resume.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/compose.js';
import { silentLogger } from '../../src/app/logger.js';
import { createShellAdapter, type ShellAdapter } from '../../src/chat/shell/shell-adapter.js';
import { loadAppConfig } from '../../src/config/app-config.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { ManualScheduler } from '../fakes/manual-scheduler.js';

const HOUR = 60 * 60 * 1000;
let dir: string;
let app: App;
let shell: ShellAdapter;
let clock: FakeClock;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'storywatch-paused-'));
  writeFileSync(
    join(dir, 'feeds.yaml'),
    [
      'feeds:',
      `  - { id: snapshot, title: Snapshot, url: "${join(process.cwd(), 'config/demo/cbc-business.xml')}" }`,
      `  - { id: gone, title: Gone Daily, url: "${join(dir, 'missing.xml')}" }`,
      '',
    ].join('\n'),
  );
  clock = new FakeClock(Date.UTC(2026, 10, 1));
  shell = createShellAdapter({ input: new PassThrough(), output: new PassThrough(), interactive: false });
  app = await createApp(loadAppConfig({ STORYWATCH_DATA_DIR: dir, STORYWATCH_FEEDS_FILE: join(dir, 'feeds.yaml') }), {
    adapters: [shell],
    logger: silentLogger(),
    scheduler: new ManualScheduler(),
    clock,
  });
});

afterEach(async () => {
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
});

function pausedNotices(): string[] {
  return shell.sent.filter((sent) => sent.message.title?.startsWith('Feed paused')).map((sent) => JSON.stringify(sent.message));
}

describe('a feed that keeps failing', () => {
  it('is paused after about a day, the story channel hears of it once, and /feeds resume brings it back', async () => {
    const first = await app.runCycle();
    expect(first).toMatchObject({ feedsPolled: 2, feedsFailed: 1 });
    for (let hour = 0; hour < 48; hour += 1) {
      clock.advance(HOUR);
      await app.runCycle();
    }
    const notices = pausedNotices();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('Gone Daily');
    expect(notices[0]).toContain('/feeds resume gone');

    const feeds = await app.handleCommand({ platform: 'shell', userId: 'editor', name: 'feeds', args: [], isAdmin: true });
    expect(JSON.stringify(feeds.message)).toMatch(/Gone Daily \[gone\]: paused, last success never, last error: [^"]+/);
    expect(JSON.stringify(feeds.message)).toMatch(/Snapshot \[snapshot\]: ok/);

    // Paused: no more attempts, however long we wait.
    const pausedState = await app.store.feedStates.get('gone');
    clock.advance(48 * HOUR);
    await app.runCycle();
    expect((await app.store.feedStates.get('gone'))?.lastAttemptAt).toBe(pausedState?.lastAttemptAt);

    const resumed = await app.handleCommand({ platform: 'shell', userId: 'editor', name: 'feeds', args: ['resume', 'gone'], isAdmin: true });
    expect(resumed.message.title).toBe('Feed resumed');
    await app.runCycle();
    expect((await app.store.feedStates.get('gone'))?.lastAttemptAt).toBe(clock.now());
    expect(pausedNotices()).toHaveLength(1);
  });
});
