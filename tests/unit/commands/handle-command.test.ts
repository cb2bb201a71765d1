import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/core/commands/command-context.js';
import { completeOption } from '../../../src/core/commands/complete.js';
import { handleCommand } from '../../../src/core/commands/handle-command.js';
import { parseCommandLine } from '../../../src/core/commands/parse-command.js';
import type { CommandInvocation, Update } from '../../../src/core/model.js';
import { toPlainText } from '../../../src/core/render/plain-text.js';
import { createStore, type ManagedStore } from '../../../src/store/keyv-store.js';
import { feed, widgetStory } from '../../fixtures/stories.js';

let dir: string;
let store: ManagedStore;
let context: CommandContext;
const resumed: string[] = [];

function update(id: string, company: string, quote: string, stance: Update['statements'][number]['stance'], publishedAt: string): Update {
  return {
    id,
    story: widgetStory.slug,
    developmentKey: id,
    companies: [company],
    statements: [{ company, quote, stance }],
    why: 'test',
    score: 5,
    reports: [{ feedId: 'outlet', source: 'Outlet', title: `${company} responds`, itemKey: id, link: `https://news.example/${id}`, publishedAt }],
    revision: 0,
    createdAt: Date.parse(publishedAt),
  };
}

async function run(line: string, isAdmin = false): Promise<{ text: string; title: string | undefined; visibility: string }> {
  const parsed = parseCommandLine(line)!;
  const invocation: CommandInvocation = { platform: 'slack', userId: 'U1', channelId: 'C1', name: parsed.name, args: parsed.args, isAdmin };
  const reply = await handleCommand(context, invocation);
  return { text: `${reply.message.title ?? ''}\n${toPlainText(reply.message)}`, title: reply.message.title, visibility: reply.visibility };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'storywatch-commands-'));
  store = await createStore({ dataDir: dir });
  resumed.length = 0;
  context = {
    stories: [widgetStory],
    feeds: [feed('outlet-a', 'Outlet A'), feed('outlet-b', 'Outlet B')],
    updates: store.updates,
    subscriptions: store.subscriptions,
    feedStates: store.feedStates,
    resumeFeed: async (feedId) => {
      resumed.push(feedId);
      return true;
    },
    now: () => Date.parse('2025-03-02T00:00:00Z'),
  };
  await store.updates.put(update('u1', 'Globex', 'We stopped selling them.', 'confirms', '2025-03-01T10:00:00Z'));
  await store.updates.put(update('u2', 'Initech', 'No comment.', 'declines', '2025-03-01T11:00:00Z'));
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('/story', () => {
  it('lists the tracked stories with how many companies responded', async () => {
    const reply = await run('/story');
    expect(reply.text).toContain('widget-recall: Acme widgets recalled over battery fires (2 of 3 companies responded, 2 updates)');
  });

  it('shows who responded, who declined and who is silent, with the quote and link, then the latest updates', async () => {
    const { text } = await run('/story widget-recall');
    expect(text).toContain('Responded: 1 | Declined: 1 | Silent: 1');
    expect(text).toContain('Globex: confirms, 2025-03-01 10:00 UTC: “We stopped selling them.” (Outlet https://news.example/u1)');
    expect(text).toContain('Initech: declined to comment');
    expect(text).toContain('Acme Corporation: silent');
    expect(text.indexOf('Initech responds')).toBeLessThan(text.indexOf('Globex responds'));
  });

  it("shows one company's statements, found by alias in any case", async () => {
    const { text } = await run('/story widget-recall GLOBEX');
    expect(text).toContain('“We stopped selling them.”');
    expect((await run('/story widget-recall acme')).text).toContain('Acme Corporation has not responded yet.');
  });

  it('reads "/story <company>" as that company\'s statements when the company is in one story', async () => {
    const { text, title } = await run('/story globex');
    expect(title).toBe('Globex in widget-recall');
    expect(text).toContain('“We stopped selling them.”');
  });

  it('suggests the closest story or company for a typo, privately', async () => {
    const story = await run('/story widget-recal');
    expect(story.visibility).toBe('ephemeral');
    expect(story.text).toContain('Unknown story "widget-recal"');
    expect(story.text).toContain('Did you mean: widget-recall?');
    expect((await run('/story widget-recall globx')).text).toContain('Did you mean: globex?');
  });
});

describe('subscriptions', () => {
  it('subscribes, lists and unsubscribes by company alias', async () => {
    expect((await run('/subscribe initech widget-recall mention')).text).toContain('a mention in the story channel when Initech responds in widget-recall');
    expect((await run('/subscribe acme')).text).toContain('a direct message when Acme Corporation responds in every story');
    const list = (await run('/subscriptions')).text;
    expect(list).toContain('Initech in widget-recall (mention)');
    expect(list).toContain('Acme Corporation in every story (direct message)');
    expect(await store.subscriptions.listByCompany('Initech', 'widget-recall')).toHaveLength(1);
    expect((await run('/unsubscribe initech widget-recall')).title).toBe('Unsubscribed');
    expect((await run('/unsubscribe initech widget-recall')).title).toBe('Not subscribed');
  });

  it('takes a company name of several words without quotes, before the story', async () => {
    expect((await run('/subscribe Acme Corporation widget-recall')).text).toContain('when Acme Corporation responds in widget-recall');
    expect((await run('/subscribe acme corporation')).text).toContain('when Acme Corporation responds in every story');
    expect((await run('/subscribe globex widget-recal')).text).toContain('Unknown story "widget-recal"');
  });

  it('without a story, unsubscribes from the company in every story', async () => {
    await run('/subscribe globex widget-recall');
    await run('/subscribe globex');
    expect((await run('/unsubscribe globex')).title).toBe('Unsubscribed');
    expect(await store.subscriptions.listByUser('slack', 'U1')).toEqual([]);
  });

  it('explains an unknown company and a missing argument', async () => {
    expect((await run('/subscribe netflics')).text).toContain('Unknown company "netflics"');
    expect((await run('/subscribe')).text).toContain('Usage: /subscribe <company> [story] [dm|mention]');
  });
});

describe('/feeds', () => {
  it('lists each feed with its status and last error', async () => {
    await store.feedStates.set({ feedId: 'outlet-b', status: 'paused', consecutiveFailures: 300, lastError: 'HTTP 404', lastSuccessAt: Date.parse('2025-02-01T00:00:00Z') });
    const { text, title } = await run('/feeds');
    expect(title).toBe('Feeds (2, 1 paused)');
    expect(text).toContain('Outlet A [outlet-a]: not polled yet');
    expect(text).toContain('Outlet B [outlet-b]: paused, last success 2025-02-01 00:00 UTC, last error: HTTP 404');
  });

  it('lets only admins resume a feed', async () => {
    expect((await run('/feeds resume outlet-b')).title).toBe('Not allowed');
    expect(resumed).toEqual([]);
    expect((await run('/feeds resume outlet-b', true)).title).toBe('Feed resumed');
    expect(resumed).toEqual(['outlet-b']);
    expect((await run('/feeds resume outlet-c', true)).text).toContain('Did you mean: outlet-a, outlet-b?');
  });
});

describe('help and unknown commands', () => {
  it('lists every command', async () => {
    const { text } = await run('/help');
    for (const name of ['/story', '/subscribe', '/unsubscribe', '/subscriptions', '/feeds', '/help']) expect(text).toContain(name);
  });

  it('answers an unknown command with help', async () => {
    expect((await run('/frobnicate')).title).toBe('Unknown command "/frobnicate"');
  });
});

describe('autocomplete', () => {
  it('offers stories, and the companies of the chosen story', () => {
    expect(completeOption([widgetStory], [], 'story', 'story', 'wid', {}).map((c) => c.value)).toEqual(['widget-recall']);
    expect(completeOption([widgetStory], [], 'subscribe', 'company', 'gl', { story: 'widget-recall' })).toEqual([{ name: 'Globex', value: 'globex' }]);
    expect(completeOption([widgetStory], ['outlet-a'], 'feeds', 'resume', 'out', {}).map((c) => c.value)).toEqual(['outlet-a']);
  });
});
