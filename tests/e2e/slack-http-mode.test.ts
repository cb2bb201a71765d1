// The real Bolt app in HTTP mode against a local fake Slack: slash commands in, posts out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createSlackAdapter, type SlackAdapter, type SlackChannelProblem } from '../../src/chat/slack/slack-adapter.js';
import { COMMAND_SPECS } from '../../src/core/commands/command-specs.js';
import type { CommandInvocation, Message, Reply } from '../../src/core/model.js';
import { ChatError, type CommandHandlers } from '../../src/core/ports.js';
import { FakeSlack, postSignedSlashCommand } from '../fakes/fake-slack.js';

const SIGNING_SECRET = 'test-signing-secret';

/** Stands in for the core's handleCommand: a canned Reply per command, recording what it was asked. */
function cannedCommands(options: { delayMs?: number; failWith?: Error } = {}) {
  const invocations: CommandInvocation[] = [];
  const replyFor = (name: string): Reply => ({
    visibility: name === 'story' || name === 'help' ? 'public' : 'ephemeral',
    message: { title: `Reply to ${name}`, blocks: [{ kind: 'text', text: `You ran ${name}` }] },
  });
  const handlers: CommandHandlers = {
    onCommand: async (invocation) => {
      invocations.push(invocation);
      if (options.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      if (options.failWith !== undefined) throw options.failWith;
      return replyFor(invocation.name);
    },
    onComplete: () => [],
  };
  return { handlers, invocations, replyFor };
}

const storyPost: Message = {
  title: 'Netflix responds to the report',
  url: 'https://news.example/netflix',
  blocks: [
    { kind: 'quote', text: 'We never asked for access to private messages.' },
    { kind: 'context', text: 'Reported by Example News' },
  ],
  footer: 'Matched: company named with a core term',
};

describe('Slack adapter in HTTP mode, end to end with Bolt and a fake Slack', () => {
  let slack: FakeSlack;
  let adapter: SlackAdapter | undefined;
  let problems: SlackChannelProblem[];

  beforeEach(async () => {
    slack = await FakeSlack.start();
    problems = [];
  });

  afterEach(async () => {
    await adapter?.stop();
    adapter = undefined;
    await slack.close();
  });

  async function startAdapter(handlers: CommandHandlers, extra: { adminUserIds?: string[]; ackDeadlineMs?: number } = {}) {
    adapter = createSlackAdapter({
      botToken: 'xoxb-test',
      signingSecret: SIGNING_SECRET,
      port: 0,
      host: '127.0.0.1',
      apiUrl: slack.apiUrl,
      logger: pino({ level: 'silent' }),
      onChannelProblem: (problem) => problems.push(problem),
      ...extra,
    });
    await adapter.start(handlers);
    return `http://127.0.0.1:${adapter.listeningPort()}/slack/events`;
  }

  function idleAdapter() {
    adapter = createSlackAdapter({
      botToken: 'xoxb-test',
      signingSecret: SIGNING_SECRET,
      port: 0,
      apiUrl: slack.apiUrl,
      logger: pino({ level: 'silent' }),
      onChannelProblem: (problem) => problems.push(problem),
    });
    return adapter;
  }

  it('answers every command in the specs with its reply: public ones in the channel, the rest ephemeral', async () => {
    const commands = cannedCommands();
    const eventsUrl = await startAdapter(commands.handlers);
    for (const spec of COMMAND_SPECS) {
      const answer = await postSignedSlashCommand(eventsUrl, SIGNING_SECRET, {
        command: `/${spec.name}`,
        text: '  facebook-partners   netflix ',
        response_url: slack.responseUrl(),
      });
      expect(answer.status).toBe(200);
      const expected = commands.replyFor(spec.name);
      expect(answer.json?.response_type).toBe(expected.visibility === 'public' ? 'in_channel' : 'ephemeral');
      expect(JSON.stringify(answer.json?.blocks)).toContain(`You ran ${spec.name}`);
      expect(answer.json?.text).toContain(`Reply to ${spec.name}`);
    }
    expect(commands.invocations.map((invocation) => invocation.name)).toEqual(COMMAND_SPECS.map((spec) => spec.name));
    expect(commands.invocations[0]).toEqual({
      platform: 'slack',
      userId: 'U0REPORTER',
      channelId: 'C0STORY',
      name: 'story',
      args: ['facebook-partners', 'netflix'],
      isAdmin: false,
    });
  });

  it('refuses to start with a token Slack rejects, saying why', async () => {
    slack.fail('auth.test', { error: 'invalid_auth' });
    await expect(startAdapter(cannedCommands().handlers)).rejects.toThrow(/auth\.test.*invalid_auth/);
    expect(adapter?.listeningPort()).toBeUndefined();
  });

  it('marks members listed as admins, and only them', async () => {
    const commands = cannedCommands();
    const eventsUrl = await startAdapter(commands.handlers, { adminUserIds: ['U0EDITOR'] });
    await postSignedSlashCommand(eventsUrl, SIGNING_SECRET, { command: '/feeds', user_id: 'U0EDITOR', response_url: slack.responseUrl() });
    await postSignedSlashCommand(eventsUrl, SIGNING_SECRET, { command: '/feeds', user_id: 'U0REPORTER', response_url: slack.responseUrl() });
    expect(commands.invocations.map((invocation) => [invocation.userId, invocation.isAdmin])).toEqual([
      ['U0EDITOR', true],
      ['U0REPORTER', false],
    ]);
  });

  it('without an admin list, asks Slack whether the member is a workspace admin', async () => {
    slack.workspaceAdmins.add('U0OWNER');
    const commands = cannedCommands();
    const eventsUrl = await startAdapter(commands.handlers);
    await postSignedSlashCommand(eventsUrl, SIGNING_SECRET, { command: '/feeds', user_id: 'U0OWNER', response_url: slack.responseUrl() });
    await postSignedSlashCommand(eventsUrl, SIGNING_SECRET, { command: '/feeds', user_id: 'U0REPORTER', response_url: slack.responseUrl() });
    expect(commands.invocations.map((invocation) => invocation.isAdmin)).toEqual([true, false]);
    expect(slack.callsTo('users.info').map((call) => call.params.user)).toEqual(['U0OWNER', 'U0REPORTER']);
  });

  it('acknowledges a slow command at once and sends its reply to response_url when ready', async () => {
    const commands = cannedCommands({ delayMs: 400 });
    const eventsUrl = await startAdapter(commands.handlers, { ackDeadlineMs: 50 });
    const responseUrl = slack.responseUrl();
    const answer = await postSignedSlashCommand(eventsUrl, SIGNING_SECRET, { command: '/story', response_url: responseUrl });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('');
    await slack.waitFor(() => slack.responseUrlPosts.length === 1);
    const [late] = slack.responseUrlPosts;
    expect(responseUrl.endsWith(late?.id ?? 'missing')).toBe(true);
    expect(late?.body.response_type).toBe('in_channel');
    expect(JSON.stringify(late?.body.blocks)).toContain('You ran story');
  });

  it('tells the member, privately, when the command handler fails', async () => {
    const commands = cannedCommands({ failWith: new Error('store is down') });
    const eventsUrl = await startAdapter(commands.handlers);
    const answer = await postSignedSlashCommand(eventsUrl, SIGNING_SECRET, { command: '/story', response_url: slack.responseUrl() });
    expect(answer.json?.response_type).toBe('ephemeral');
    expect(answer.json?.text).toContain('Sorry, that command failed');
    expect(answer.body).not.toContain('store is down');
  });

  it('rejects a request signed with the wrong secret, and the handler never runs', async () => {
    const commands = cannedCommands();
    const eventsUrl = await startAdapter(commands.handlers);
    const answer = await postSignedSlashCommand(eventsUrl, SIGNING_SECRET, { command: '/story', response_url: slack.responseUrl() }, { signWith: 'forged' });
    expect(answer.status).toBe(401);
    expect(commands.invocations).toEqual([]);
  });

  it('rejects a correctly signed request older than five minutes (a replay), and the handler never runs', async () => {
    const commands = cannedCommands();
    const eventsUrl = await startAdapter(commands.handlers);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const answer = await postSignedSlashCommand(eventsUrl, SIGNING_SECRET, { command: '/story', response_url: slack.responseUrl() }, { timestampSeconds: sixMinutesAgo });
    expect(answer.status).toBe(401);
    expect(commands.invocations).toEqual([]);
  });

  it('posts a message as exactly one chat.postMessage with blocks, fallback text and delivery metadata', async () => {
    const ref = await idleAdapter().post('C0STORY', storyPost, { deliveryId: 'post|u1|slack:C0STORY:' });
    expect(ref).toEqual({ platform: 'slack', channel: 'C0STORY', id: '1700000000.000001' });
    const posts = slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    const params = posts[0]?.params;
    expect(posts[0]?.token).toBe('xoxb-test');
    expect(params?.metadata).toEqual({ event_type: 'storywatch_delivery', event_payload: { delivery_id: 'post|u1|slack:C0STORY:' } });
    expect(params?.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*<https://news.example/netflix|Netflix responds to the report>*', verbatim: true } },
      { type: 'section', text: { type: 'mrkdwn', text: '>We never asked for access to private messages.', verbatim: true } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Reported by Example News', verbatim: true }] },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Matched: company named with a core term', verbatim: true }] },
    ]);
    expect(params?.text).toContain('Netflix responds to the report');
    expect(params?.link_names).toBeUndefined();
    expect(params?.parse).toBeUndefined();
  });

  it('edits a post with chat.update on the same channel and ts', async () => {
    const slackAdapter = idleAdapter();
    const ref = await slackAdapter.post('C0STORY', storyPost, { deliveryId: 'd1' });
    await slackAdapter.edit(ref, { ...storyPost, footer: 'Also reported by Second Outlet' });
    const updates = slack.callsTo('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.params).toMatchObject({ channel: 'C0STORY', ts: ref.id });
    expect(JSON.stringify(updates[0]?.params.blocks)).toContain('Also reported by Second Outlet');
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('sends a direct message by opening the conversation first', async () => {
    const ref = await idleAdapter().dm('U0SUBSCRIBER', storyPost, { deliveryId: 'dm|u1' });
    expect(slack.callsTo('conversations.open')[0]?.params.users).toBe('U0SUBSCRIBER');
    expect(slack.callsTo('chat.postMessage')[0]?.params.channel).toBe('DU0SUBSCRIBER');
    expect(ref).toMatchObject({ platform: 'slack', channel: 'DU0SUBSCRIBER' });
  });

  it('pings nobody for a hostile headline: everything is escaped in blocks and fallback text', async () => {
    const hostile = '<!channel> @everyone <@U123> & <script> @here <!here>';
    await idleAdapter().post('C0STORY', { title: hostile, url: 'https://news.example/x', blocks: [{ kind: 'text', text: hostile }] }, { deliveryId: 'd-hostile' });
    const params = slack.callsTo('chat.postMessage')[0]?.params;
    const sent = JSON.stringify([params?.blocks, params?.text]);
    expect(sent).not.toMatch(/<!|<@|<script/);
    expect(sent).not.toMatch(/@(channel|here|everyone)\b/);
    expect(sent).toContain('&lt;!channel&gt;');
    expect(sent).toContain('&amp; &lt;script&gt;');
    expect(params?.text).toContain('&lt;@U123&gt;');
  });

  it('pings exactly the subscribers named in the message mentions', async () => {
    await idleAdapter().post('C0STORY', { ...storyPost, mentions: ['U0SUB1', 'not-an-id', 'W0SUB2'] }, { deliveryId: 'd-mentions' });
    const params = slack.callsTo('chat.postMessage')[0]?.params;
    const mentions = JSON.stringify([params?.blocks, params?.text]).match(/<@[A-Z0-9]+>/g) ?? [];
    expect(new Set(mentions)).toEqual(new Set(['<@U0SUB1>', '<@W0SUB2>']));
  });

  it('surfaces a storm of 429s as rate-limited with Retry-After, after one call per attempt (no retry loop)', async () => {
    slack.fail('chat.postMessage', { rateLimitedForSeconds: 7 });
    const slackAdapter = idleAdapter();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const error = await slackAdapter.post('C0STORY', storyPost, { deliveryId: 'd-429' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ChatError);
      expect(error).toMatchObject({ code: 'rate-limited', retryAfterMs: 7000 });
    }
    expect(slack.callsTo('chat.postMessage')).toHaveLength(3);
  });

  it('maps Slack refusals to permanent errors and tells the admin once per channel', async () => {
    slack.fail('chat.postMessage', { error: 'is_archived' }, { channel: 'C0ARCHIVED' });
    slack.fail('chat.postMessage', { error: 'channel_not_found' }, { channel: 'C0GONE' });
    const slackAdapter = idleAdapter();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await expect(slackAdapter.post('C0ARCHIVED', storyPost, { deliveryId: 'd-a' })).rejects.toMatchObject({ code: 'forbidden' });
    }
    await expect(slackAdapter.post('C0GONE', storyPost, { deliveryId: 'd-b' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(slackAdapter.post('C0STORY', storyPost, { deliveryId: 'd-c' })).resolves.toMatchObject({ channel: 'C0STORY' });
    expect(problems).toEqual([
      { channel: 'C0ARCHIVED', error: 'is_archived', code: 'forbidden', action: 'chat.postMessage' },
      { channel: 'C0GONE', error: 'channel_not_found', code: 'not-found', action: 'chat.postMessage' },
    ]);
  });

  it('does not bother the admin about a post that was deleted before its edit', async () => {
    await expect(idleAdapter().edit({ platform: 'slack', channel: 'C0STORY', id: '1.2' }, storyPost)).rejects.toMatchObject({ code: 'not-found' });
    expect(problems).toEqual([]);
  });

  it('reports a missing scope as forbidden', async () => {
    slack.fail('chat.update', { error: 'missing_scope' });
    await expect(idleAdapter().edit({ platform: 'slack', channel: 'C0STORY', id: '1.2' }, storyPost)).rejects.toMatchObject({ code: 'forbidden' });
    expect(problems.map((problem) => problem.error)).toEqual(['missing_scope']);
  });

  it('treats Slack being down as unavailable after a bounded number of retries', async () => {
    slack.fail('chat.postMessage', { httpStatus: 503 });
    await expect(idleAdapter().post('C0STORY', storyPost, { deliveryId: 'd-503' })).rejects.toMatchObject({ code: 'unavailable' });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(3);
  });

  it('finds a message it sent earlier by its delivery id, and nothing for an unknown id', async () => {
    const slackAdapter = idleAdapter();
    await slackAdapter.post('C0STORY', storyPost, { deliveryId: 'first' });
    const second = await slackAdapter.post('C0STORY', storyPost, { deliveryId: 'second' });
    await slackAdapter.post('C0OTHER', storyPost, { deliveryId: 'third' });
    await expect(slackAdapter.findSent?.('C0STORY', 'second')).resolves.toEqual(second);
    await expect(slackAdapter.findSent?.('C0STORY', 'third')).resolves.toBeUndefined();
    expect(slack.callsTo('conversations.history')[0]?.params).toMatchObject({ channel: 'C0STORY', include_all_metadata: 'true' });
  });

  it('finds a direct message by the user it was sent to', async () => {
    const slackAdapter = idleAdapter();
    const sent = await slackAdapter.dm('U0SUBSCRIBER', storyPost, { deliveryId: 'dm|x' });
    await expect(slackAdapter.findSent?.('U0SUBSCRIBER', 'dm|x')).resolves.toEqual(sent);
  });
});
