// High availability through the real product: two `storywatch run` processes, started as a user
// starts them, share Redis and one fake Slack (Socket Mode) and poll feeds on 127.0.0.1. The leader
// is killed mid-story; the other takes over, edits the post the dead one made, posts what is new,
// posts nothing twice, answers slash commands, and stops cleanly on SIGTERM.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore, type ManagedStore } from '../../src/store/keyv-store.js';
import { FakeSlack } from '../fakes/fake-slack.js';
import { rssDocument, startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { netflixFirstReport, netflixSecondReport, unrelated } from '../fixtures/pipeline.js';
import {
  deleteKeysStartingWith,
  killBot,
  makeFeedsDueNow,
  rbcDenial,
  startBot,
  STORY_SLUG,
  waitUntil,
  writeBotConfig,
  type BotProcess,
  type LogLine,
} from './composed-failover-helpers.js';

const REDIS_URL = process.env.REDIS_URL;
const STORY_CHANNEL = 'C0STORY';
const LEASE_TTL_SECONDS = 3;
/** A dead leader's lease expires after the TTL; a follower tries every TTL/3. */
const TAKEOVER_LIMIT_MS = 5_000;

const isElected = (line: LogLine) => line.msg === 'elected leader';

describe.skipIf(!REDIS_URL)('two real bot processes sharing Redis and one Slack (runs only with REDIS_URL set)', () => {
  let slack: FakeSlack;
  let feeds: FeedServer;
  let dir: string;
  let namespace: string;
  let store: ManagedStore | undefined;
  const bots: BotProcess[] = [];

  beforeEach(async () => {
    slack = await FakeSlack.start();
    feeds = await startFeedServer({
      '/outlet-a.xml': { body: rssDocument('Outlet A', [unrelated]) },
      '/outlet-b.xml': { body: rssDocument('Outlet B', []) },
    });
    dir = mkdtempSync(join(tmpdir(), 'storywatch-composed-failover-'));
    namespace = `storywatch-failover-${randomUUID()}`;
  });

  afterEach(async () => {
    await Promise.all(bots.splice(0).map(killBot));
    await store?.close();
    store = undefined;
    await feeds.close();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
    await deleteKeysStartingWith(REDIS_URL!, namespace);
  });

  function launch(instanceId: string): BotProcess {
    const bot = startBot(instanceId, {
      HOME: dir,
      ...writeBotConfig(dir, feeds, STORY_CHANNEL),
      REDIS_URL: REDIS_URL!,
      STORYWATCH_REDIS_NAMESPACE: namespace,
      STORYWATCH_INSTANCE_ID: instanceId,
      STORYWATCH_TICK_SECONDS: '1',
      STORYWATCH_LEASE_TTL_SECONDS: String(LEASE_TTL_SECONDS),
      STORYWATCH_DATA_DIR: join(dir, 'data'),
      STORYWATCH_ALLOW_PRIVATE_HOSTS: '127.0.0.1',
      SLACK_BOT_TOKEN: 'xoxb-composed-failover',
      SLACK_APP_TOKEN: 'xapp-composed-failover',
      SLACK_API_URL: slack.apiUrl,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    });
    bots.push(bot);
    return bot;
  }

  const storyPosts = () => slack.callsTo('chat.postMessage').filter((call) => call.params.channel === STORY_CHANNEL);
  const deliveryIdOf = (call: { params: Record<string, unknown> }) =>
    (call.params.metadata as { event_payload?: { delivery_id?: string } } | undefined)?.event_payload?.delivery_id;

  it('when the leader is killed, the follower takes over within the lease, edits the first post, posts the new statement once and answers /story', async () => {
    // A leads and records what the feeds already hold, posting nothing.
    const a = launch('a');
    await a.waitForLog('election', isElected, 10_000);
    await a.waitForLog('the first poll', (line) => line.msg === 'feed poll cycle done' && line.polled === 2 && line.fresh === 2, 5_000);
    expect(storyPosts()).toHaveLength(0);

    // B joins as a follower: both hold a Socket Mode connection to the one Slack.
    const b = launch('b');
    await b.waitForLog('start-up', (line) => line.msg === 'storywatch is running', 10_000);
    await slack.waitFor(() => slack.socketConnections === 2, 5_000);
    store = await createStore({ dataDir: '', redisUrl: REDIS_URL!, namespace });

    // A new matching item: exactly one post, from the leader. The leader dies without a word the
    // moment Slack has answered that post (checked as each request is answered), most likely before
    // it could record the post as done: the follower must then find the post, not send it again.
    feeds.route('/outlet-a.xml', { body: rssDocument('Outlet A', [netflixFirstReport, unrelated]) });
    await makeFeedsDueNow(store, ['outlet-a']);
    const killLeaderOncePosted = () => storyPosts().length >= 1 && a.child.kill('SIGKILL');
    await slack.waitFor(killLeaderOncePosted, 5_000);
    expect((await a.exited).signal).toBe('SIGKILL');
    const killedAt = Date.now();
    expect(b.logged('elected leader')).toBeUndefined();
    const [firstPost] = storyPosts();
    expect(storyPosts()).toHaveLength(1);
    expect(JSON.stringify(firstPost?.params.blocks)).toContain('Netflix');
    expect(deliveryIdOf(firstPost!)).toMatch(/^post\|/);

    // Meanwhile a second outlet reports Netflix's statement and RBC responds.
    feeds.route('/outlet-a.xml', { body: rssDocument('Outlet A', [rbcDenial, netflixFirstReport, unrelated]) });
    feeds.route('/outlet-b.xml', { body: rssDocument('Outlet B', [netflixSecondReport]) });
    await makeFeedsDueNow(store, ['outlet-a', 'outlet-b']);

    const elected = await b.waitForLog('takeover', isElected, TAKEOVER_LIMIT_MS + 2_000);
    expect(elected.holder).toBe('b');
    expect(elected.receivedAt - killedAt).toBeLessThan(TAKEOVER_LIMIT_MS);

    // B edits A's post (a second outlet reported the same statement) and posts the RBC statement.
    await waitUntil(() => slack.callsTo('chat.update').length >= 1 && storyPosts().length >= 2, 5_000, 'the edit and the RBC post');
    // Two more poll ticks, each delivering what is due: nothing else may go out.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const edits = slack.callsTo('chat.update');
    expect(edits).toHaveLength(1);
    expect(edits[0]?.params).toMatchObject({ channel: STORY_CHANNEL, ts: slack.messages[0]?.ts });
    expect(JSON.stringify(edits[0]?.params.blocks)).toContain('Outlet B');
    const posts = storyPosts();
    expect(posts).toHaveLength(2);
    const deliveryIds = posts.map(deliveryIdOf);
    expect(new Set(deliveryIds).size).toBe(2);
    expect(JSON.stringify(posts[1]?.params.blocks)).toMatch(/RBC|Royal Bank of Canada/);
    expect(JSON.stringify(posts[1]?.params.blocks)).not.toContain('Netflix');

    // B answers a slash command over its Socket Mode connection, the only one left.
    await slack.waitFor(() => slack.socketConnections === 1, 5_000);
    const ack = await slack.sendSlashCommandOverSocket({ command: '/story', text: STORY_SLUG, response_url: slack.responseUrl() });
    const reply = JSON.stringify(ack.payload ?? slack.responseUrlPosts.at(-1)?.body);
    // The tracker reads the shared state: A's statement and B's.
    expect(reply).toContain('Netflix: denies');
    expect(reply).toContain('Royal Bank of Canada: denies');
    expect(reply).toContain('*Responded*\\n2');

    // SIGTERM: B releases the lease and exits 0 promptly.
    b.child.kill('SIGTERM');
    const exit = await Promise.race([
      b.exited,
      new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 5_000)),
    ]);
    expect(exit, b.tail()).toEqual({ code: 0, signal: null });
    expect(b.logs.find((line) => line.msg === 'no longer leader')?.reason).toBe('stopping');
    expect(await store.leases.acquire('leader', 'probe', 1_000)).toBe(true);
  }, 40_000);
});
