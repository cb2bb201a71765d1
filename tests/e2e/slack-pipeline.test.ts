// The whole pipeline against local fakes: feeds served on 127.0.0.1, the real composition root,
// the real Slack adapter (Bolt's Web API client) talking to a fake Slack.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createApp, type App } from '../../src/app/compose.js';
import { createSlackAdapter } from '../../src/chat/slack/slack-adapter.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { FakeSlack, postSignedSlashCommand } from '../fakes/fake-slack.js';
import { rssDocument, startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { netflixFirstReport, netflixSecondReport, pipelineConfig, unrelated } from '../fixtures/pipeline.js';

const STORY_CHANNEL = 'C0STORY';

describe('Slack end to end: a feed item becomes one post, a second outlet’s report an edit', () => {
  let slack: FakeSlack;
  let feeds: FeedServer;
  let dataDir: string;
  let app: App | undefined;

  beforeEach(async () => {
    slack = await FakeSlack.start();
    feeds = await startFeedServer({
      '/outlet-a.xml': { body: rssDocument('Outlet A', [unrelated]) },
      '/outlet-b.xml': { body: rssDocument('Outlet B', []) },
    });
    dataDir = mkdtempSync(join(tmpdir(), 'storywatch-slack-e2e-'));
  });

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await feeds.close();
    await slack.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function configFor(): AppConfig {
    return pipelineConfig({
      dataDir,
      feeds,
      env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'test-secret', SLACK_API_URL: slack.apiUrl, PORT: '0' },
      channels: { slack: STORY_CHANNEL },
    });
  }

  it('posts a new matching item exactly once, then edits that post when another outlet reports it', async () => {
    const config = configFor();
    const logger = pino({ level: 'silent' });
    const adapter = createSlackAdapter({ ...config.slack!, port: 0, host: '127.0.0.1', logger });
    app = await createApp(config, { adapters: [adapter], logger });

    // First poll: what the feeds already hold is recorded, not posted.
    await app.runCycle({ allFeeds: true });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);

    feeds.route('/outlet-a.xml', { body: rssDocument('Outlet A', [netflixFirstReport, unrelated]) });
    const second = await app.runCycle({ allFeeds: true });
    expect(second.updates).toBe(1);
    const posts = slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.params.channel).toBe(STORY_CHANNEL);
    expect(JSON.stringify(posts[0]?.params.blocks)).toContain('Netflix');
    expect(posts[0]?.params.metadata).toMatchObject({ event_type: 'storywatch_delivery', event_payload: { delivery_id: expect.stringMatching(/^post\|/) } });

    // Polling again changes nothing: the item is seen, the delivery done.
    await app.runCycle({ allFeeds: true });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);

    feeds.route('/outlet-b.xml', { body: rssDocument('Outlet B', [netflixSecondReport]) });
    await app.runCycle({ allFeeds: true });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    const edits = slack.callsTo('chat.update');
    expect(edits).toHaveLength(1);
    expect(edits[0]?.params).toMatchObject({ channel: STORY_CHANNEL, ts: slack.messages[0]?.ts });
    expect(JSON.stringify(edits[0]?.params.blocks)).toContain('Outlet B');
  });

  it('answers a signed /story command from the real command handler, after a post', async () => {
    const config = configFor();
    const logger = pino({ level: 'silent' });
    const adapter = createSlackAdapter({ ...config.slack!, port: 0, host: '127.0.0.1', logger });
    app = await createApp(config, { adapters: [adapter], logger });
    await app.runCycle({ allFeeds: true });
    feeds.route('/outlet-a.xml', { body: rssDocument('Outlet A', [netflixFirstReport, unrelated]) });
    await app.runCycle({ allFeeds: true });
    await app.start();

    const answer = await postSignedSlashCommand(`http://127.0.0.1:${adapter.listeningPort()}/slack/events`, 'test-secret', {
      command: '/story',
      text: 'facebook-partners',
      response_url: slack.responseUrl(),
    });
    expect(answer.status).toBe(200);
    const reply = JSON.stringify(answer.json);
    // The tracker saw the statement that was just posted.
    expect(reply).toContain('Netflix: denies');
    expect(reply).toContain('*Responded*\\n1');
    expect(answer.json?.response_type).toEqual(expect.stringMatching(/^(in_channel|ephemeral)$/));
  });

  it('tells each admin once when the story channel is archived, and goes on with the other deliveries', async () => {
    const config = configFor();
    const withAdmins: AppConfig = { ...config, slack: { ...config.slack!, adminUserIds: ['UADMIN1', 'UADMIN2'] } };
    // No adapters given: the composition root builds the Slack adapter from the config, as `npm start` does.
    app = await createApp(withAdmins, { logger: pino({ level: 'silent' }) });
    await app.runCycle({ allFeeds: true });
    slack.fail('chat.postMessage', { error: 'is_archived' }, { channel: STORY_CHANNEL });

    feeds.route('/outlet-a.xml', { body: rssDocument('Outlet A', [netflixFirstReport, unrelated]) });
    await app.runCycle({ allFeeds: true });
    feeds.route('/outlet-b.xml', { body: rssDocument('Outlet B', [netflixSecondReport]) });
    await app.runCycle({ allFeeds: true });
    await app.runCycle({ allFeeds: true });

    const storyPosts = slack.callsTo('chat.postMessage').filter((call) => call.params.channel === STORY_CHANNEL);
    expect(storyPosts).toHaveLength(1);
    // The admins' messages are sent beside the delivery round, not inside it.
    for (let wait = 0; wait < 100 && slack.callsTo('chat.postMessage').length < 3; wait += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const opened = slack.callsTo('conversations.open').map((call) => call.params.users);
    expect(opened.sort()).toEqual(['UADMIN1', 'UADMIN2']);
    const warnings = slack.callsTo('chat.postMessage').filter((call) => call.params.channel !== STORY_CHANNEL);
    expect(warnings).toHaveLength(2);
    expect(JSON.stringify(warnings[0]?.params.blocks)).toContain(`refused storywatch in ${STORY_CHANNEL}: is_archived`);
    expect(app.health().ok).toBe(true);
  });
});
