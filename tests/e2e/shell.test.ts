// The newcomer's path end to end: the real bot loop over the bundled offline snapshots, in the shell.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/compose.js';
import { silentLogger } from '../../src/app/logger.js';
import { createShellAdapter, type ShellAdapter } from '../../src/chat/shell/shell-adapter.js';
import { loadAppConfig } from '../../src/config/app-config.js';
import { ManualScheduler } from '../fakes/manual-scheduler.js';

let dataDir: string;
let apps: App[];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'storywatch-shell-'));
  apps = [];
});

afterEach(async () => {
  for (const app of apps) await app.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function shellApp(interactive: boolean): Promise<{ app: App; shell: ShellAdapter; input: PassThrough; output: () => string }> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const shell = createShellAdapter({ input, output, interactive });
  const config = loadAppConfig({ STORYWATCH_DATA_DIR: dataDir });
  const app = await createApp(config, { adapters: [shell], logger: silentLogger(), scheduler: new ManualScheduler() });
  apps.push(app);
  return { app, shell, input, output: () => text };
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('shell mode on the offline snapshots', () => {
  it("posts each company's statement once, with a second outlet's report joining its post, and ignores unrelated items", async () => {
    const { app, shell } = await shellApp(false);
    const report = await app.runCycle({ allFeeds: true });
    expect(report).toMatchObject({ feedsPolled: 4, feedsFailed: 0, newItems: 11 });

    const posts = shell.sent.filter((sent) => sent.action === 'post').map((sent) => sent.message.blocks[0]);
    const headings = posts.map((block) => (block && 'text' in block ? block.text : ''));
    for (const company of ['Netflix', 'Royal Bank of Canada', 'Spotify', 'Facebook']) {
      expect(headings.some((heading) => heading.startsWith(company))).toBe(true);
    }
    expect(headings.filter((heading) => heading.startsWith('Netflix'))).toHaveLength(1);
    // One cycle read both outlets before delivering, so the single post already names the second.
    const netflixPost = shell.sent.find((sent) => sent.action === 'post' && JSON.stringify(sent.message).includes('Netflix denies'))!;
    expect(JSON.stringify(netflixPost.message)).toContain('also reported by Tech Daily');
    expect(shell.sent.filter((sent) => sent.action === 'edit')).toEqual([]);
    const everything = JSON.stringify(shell.sent);
    for (const unrelated of ['subscriber growth', 'Wrapped', 'interest rate', 'best TVs', 'Holiday Stickers']) {
      expect(everything).not.toContain(unrelated);
    }
  });

  it('posts nothing again after a restart on the same data directory', async () => {
    const first = await shellApp(false);
    const firstReport = await first.app.runCycle({ allFeeds: true });
    await first.app.stop();
    apps.length = 0;
    const second = await shellApp(false);
    const report = await second.app.runCycle({ allFeeds: true });
    expect(firstReport.delivered).toBeGreaterThan(0);
    expect(report).toMatchObject({ newItems: 0, updates: 0, delivered: 0 });
    expect(second.shell.sent).toEqual([]);
  });

  it('answers slash commands typed at the prompt from what was posted', async () => {
    const { app, input, output } = await shellApp(true);
    await app.runCycle({ allFeeds: true });
    await app.start();
    input.write('/story facebook-partners\n');
    await waitFor(() => output().includes('Latest updates'), 'the /story reply');
    expect(output()).toMatch(/Netflix: denies, 2018-12-19 15:10 UTC: “Over the years/);
    expect(output()).toContain('Yahoo: silent');
    input.write('/story facebook-partners rbc\n');
    await waitFor(() => output().includes('Royal Bank of Canada in facebook-partners'), 'the company reply');
    input.write('/story facebook-partnrs\n');
    await waitFor(() => output().includes('Did you mean: facebook-partners?'), 'the suggestion');
    input.write('/story\n');
    await waitFor(() => output().includes('companies responded'), 'the story list');
    input.write('exit\n');
  });
});
