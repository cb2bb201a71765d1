// The real Bolt app in Socket Mode against a local fake Slack: apps.connections.open hands out a
// ws:// URL on 127.0.0.1, slash commands arrive as envelopes and are answered in the ack.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createSlackAdapter, type SlackAdapter } from '../../src/chat/slack/slack-adapter.js';
import type { CommandInvocation, Reply } from '../../src/core/model.js';
import type { CommandHandlers } from '../../src/core/ports.js';
import { FakeSlack } from '../fakes/fake-slack.js';

function cannedCommands(delayMs = 0) {
  const invocations: CommandInvocation[] = [];
  const handlers: CommandHandlers = {
    onCommand: async (invocation): Promise<Reply> => {
      invocations.push(invocation);
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      return {
        visibility: invocation.name === 'story' ? 'public' : 'ephemeral',
        message: { blocks: [{ kind: 'text', text: `You ran ${invocation.name} ${invocation.args.join(',')}` }] },
      };
    },
    onComplete: () => [],
  };
  return { handlers, invocations };
}

describe('Slack adapter in Socket Mode, end to end with Bolt and a fake Slack', () => {
  let slack: FakeSlack;
  let adapter: SlackAdapter | undefined;

  beforeEach(async () => {
    slack = await FakeSlack.start();
  });

  afterEach(async () => {
    await adapter?.stop();
    adapter = undefined;
    await slack.close();
  });

  async function startAdapter(handlers: CommandHandlers, ackDeadlineMs?: number) {
    adapter = createSlackAdapter({
      botToken: 'xoxb-test',
      appToken: 'xapp-test',
      apiUrl: slack.apiUrl,
      logger: pino({ level: 'silent' }),
      ...(ackDeadlineMs !== undefined ? { ackDeadlineMs } : {}),
    });
    await adapter.start(handlers);
  }

  it('connects with the app token through apps.connections.open and needs no public URL', async () => {
    await startAdapter(cannedCommands().handlers);
    expect(adapter?.mode).toBe('socket');
    expect(adapter?.listeningPort()).toBeUndefined();
    expect(slack.callsTo('apps.connections.open').map((call) => call.token)).toEqual(['xapp-test']);
    expect(slack.callsTo('auth.test').map((call) => call.token)).toEqual(['xoxb-test']);
    expect(slack.socketConnections).toBe(1);
  });

  it('answers a slash command in the ack of its envelope', async () => {
    const commands = cannedCommands();
    await startAdapter(commands.handlers);
    const ack = await slack.sendSlashCommandOverSocket({ command: '/story', text: 'facebook-partners rbc', response_url: slack.responseUrl() });
    expect(ack.envelope_id).toEqual(expect.any(String));
    expect(ack.payload?.response_type).toBe('in_channel');
    expect(JSON.stringify(ack.payload?.blocks)).toContain('You ran story facebook-partners,rbc');
    expect(commands.invocations).toEqual([
      { platform: 'slack', userId: 'U0REPORTER', channelId: 'C0STORY', name: 'story', args: ['facebook-partners', 'rbc'], isAdmin: false },
    ]);
  });

  it('acks a slow command empty within the deadline and answers through response_url', async () => {
    await startAdapter(cannedCommands(300).handlers, 50);
    const ack = await slack.sendSlashCommandOverSocket({ command: '/subscriptions', response_url: slack.responseUrl() });
    expect(ack.payload ?? {}).toEqual({});
    await slack.waitFor(() => slack.responseUrlPosts.length === 1);
    expect(slack.responseUrlPosts[0]?.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(slack.responseUrlPosts[0]?.body.blocks)).toContain('You ran subscriptions');
  });

  it('refuses to start with an app token Slack rejects, without retrying forever', async () => {
    slack.fail('apps.connections.open', { error: 'invalid_auth' });
    await expect(startAdapter(cannedCommands().handlers)).rejects.toThrow(/invalid_auth/);
    expect(slack.callsTo('apps.connections.open')).toHaveLength(1);
    expect(slack.socketConnections).toBe(0);
  });

  it('reconnects when Slack asks it to, and keeps answering commands', async () => {
    await startAdapter(cannedCommands().handlers);
    slack.requestReconnect();
    // The Socket Mode client waits its ping timeout (5 s) before reconnecting.
    await slack.waitFor(() => slack.callsTo('apps.connections.open').length === 2 && slack.socketConnections === 1, 12_000);
    const ack = await slack.sendSlashCommandOverSocket({ command: '/help', response_url: slack.responseUrl() });
    expect(JSON.stringify(ack.payload?.blocks)).toContain('You ran help');
  });

  it('disconnects on stop', async () => {
    await startAdapter(cannedCommands().handlers);
    await adapter?.stop();
    adapter = undefined;
    await slack.waitFor(() => slack.socketConnections === 0);
    expect(slack.socketConnections).toBe(0);
  });
});
