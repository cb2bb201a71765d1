// The whole pipeline against local fakes: feeds served on 127.0.0.1, the real composition root,
// the real Discord adapter (discord.js REST and gateway) talking to a fake Discord.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createApp, type App } from '../../src/app/compose.js';
import { createDiscordAdapter, nonceFor, type DiscordAdapter } from '../../src/chat/discord/discord-adapter.js';
import { ACCENT_COLORS } from '../../src/chat/discord/discord-embeds.js';
import { postDeliveryId } from '../../src/core/deliveries.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { FakeDiscord } from '../fakes/fake-discord.js';
import { rssDocument, startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { netflixFirstReport, netflixSecondReport, pipelineConfig, unrelated } from '../fixtures/pipeline.js';


const EDITOR = '700000000000000077';

interface PostedBody {
  content?: string;
  nonce: string;
  enforce_nonce: boolean;
  allowed_mentions: unknown;
  embeds: { title?: string; url?: string; description?: string; color?: number; fields?: { name: string; value: string }[]; footer?: { text: string } }[];
}

describe('Discord end to end: a subscription by slash command, a feed item becomes one message, a second outlet’s report an edit', () => {
  let discord: FakeDiscord;
  let feeds: FeedServer;
  let dataDir: string;
  let app: App | undefined;
  let adapter: DiscordAdapter | undefined;

  beforeEach(async () => {
    discord = await FakeDiscord.start({ heartbeatIntervalMs: 400 });
    feeds = await startFeedServer({
      '/outlet-a.xml': { body: rssDocument('Outlet A', [unrelated]) },
      '/outlet-b.xml': { body: rssDocument('Outlet B', []) },
    });
    dataDir = mkdtempSync(join(tmpdir(), 'storywatch-discord-e2e-'));
  });

  afterEach(async () => {
    // The app stops its adapters; an adapter whose app never came up is stopped alone.
    if (app) await app.stop();
    else await adapter?.stop();
    app = undefined;
    adapter = undefined;
    await feeds.close();
    await discord.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function configFor(): AppConfig {
    return pipelineConfig({
      dataDir,
      feeds,
      env: {
        DISCORD_TOKEN: 'test-token',
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_GUILD_ID: discord.guildId,
        DISCORD_API_URL: discord.apiUrl,
      },
      channels: { discord: discord.channelId },
    });
  }

  it('posts a new matching item exactly once as one embed, naming a subscriber who asked, then edits it for a second outlet', async () => {
    const config = configFor();
    const logger = pino({ level: 'silent' });
    adapter = createDiscordAdapter({ ...config.discord!, logger });
    app = await createApp(config, { adapters: [adapter], logger });
    const running = app;
    await adapter.start({ onCommand: (invocation) => running.handleCommand(invocation), onComplete: () => [] });
    const posts = () => discord.callsTo('POST', new RegExp(`^/channels/${discord.channelId}/messages$`));

    // An editor asks, through Discord, to be pinged in the story channel when Netflix responds.
    const subscribe = discord.interact({
      command: 'subscribe',
      options: { company: 'netflix', story: 'facebook-partners', mode: 'mention' },
      userId: EDITOR,
    });
    const subscribed = (await discord.waitForCall('POST', subscribe.callbackPath)).body as { data: PostedBody };
    expect(JSON.stringify(subscribed.data.embeds)).toContain('a mention in the story channel');

    // First poll: what the feeds already hold is recorded, not posted.
    await app.runCycle({ allFeeds: true });
    expect(posts()).toHaveLength(0);

    feeds.route('/outlet-a.xml', { body: rssDocument('Outlet A', [netflixFirstReport, unrelated]) });
    const second = await app.runCycle({ allFeeds: true });
    expect(second.updates).toBe(1);
    expect(posts()).toHaveLength(1);
    const body = posts()[0]!.body as PostedBody;
    const [update] = await app.store.updates.listByStory('facebook-partners');
    expect(body.nonce).toBe(nonceFor(postDeliveryId(update!.id, { platform: 'discord', channel: discord.channelId })));
    expect(body.enforce_nonce).toBe(true);
    expect(body.content).toBe(`<@${EDITOR}>`);
    expect(body.allowed_mentions).toEqual({ parse: [], users: [EDITOR] });
    expect(body.embeds).toHaveLength(1);
    const embed = body.embeds[0]!;
    expect(embed).toMatchObject({ title: netflixFirstReport.title, url: netflixFirstReport.link, color: ACCENT_COLORS.denies });
    expect(embed.description).toContain('At no time did we access');
    expect(embed.fields).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Companies', value: expect.stringContaining('Netflix') })]));
    const [message] = [...discord.messages.values()];
    expect(message?.channel_id).toBe(discord.channelId);

    // Polling again changes nothing: the item is seen, the delivery done.
    await app.runCycle({ allFeeds: true });
    expect(posts()).toHaveLength(1);

    feeds.route('/outlet-b.xml', { body: rssDocument('Outlet B', [netflixSecondReport]) });
    await app.runCycle({ allFeeds: true });
    expect(posts()).toHaveLength(1);
    const edits = discord.callsTo('PATCH', /^\/channels\/\d+\/messages\/\d+$/);
    expect(edits).toHaveLength(1);
    expect(edits[0]?.path).toBe(`/channels/${discord.channelId}/messages/${message!.id}`);
    expect((edits[0]?.body as PostedBody).embeds[0]?.description).toContain('also reported by Outlet B');
    expect(message?.edited).toBe(1);

    // The tracker through a slash command: Netflix has now responded.
    const story = discord.interact({ command: 'story', options: { story: 'facebook-partners' } });
    const reply = (await discord.waitForCall('POST', story.callbackPath)).body as { type: number; data: PostedBody };
    expect(reply.type).toBe(4);
    expect(JSON.stringify(reply.data.embeds)).toContain('Netflix');
  });
});
