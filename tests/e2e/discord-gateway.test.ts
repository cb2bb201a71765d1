// The real discord.js client's gateway life cycle against a fake Discord: starting without a
// guild, stopping and starting again, a rejected token, a gateway slow to let a session start.
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createDiscordAdapter } from '../../src/chat/discord/discord-adapter.js';
import { ChatError, type CommandHandlers } from '../../src/core/ports.js';
import { FakeDiscord } from '../fakes/fake-discord.js';

const handlers: CommandHandlers = {
  onCommand: async (invocation) => ({ visibility: 'public', message: { blocks: [{ kind: 'text', text: `ran ${invocation.name}` }] } }),
  onComplete: () => [],
};

describe('Discord adapter without a guild id, stopped and started again', () => {
  it('registers the slash commands globally, posts between sessions, and answers commands again after a stop and a start', async () => {
    const fake = await FakeDiscord.start({ heartbeatIntervalMs: 400 });
    const adapter = createDiscordAdapter({
      token: 'test-token',
      applicationId: fake.applicationId,
      apiUrl: fake.apiUrl,
      logger: pino({ level: 'silent' }),
    });
    try {
      await adapter.start(handlers);
      expect(fake.callsTo('PUT', /commands$/).map((call) => call.path)).toEqual([`/applications/${fake.applicationId}/commands`]);
      // A replica that loses leadership stops its gateway, and starts it again when re-elected.
      await adapter.stop();
      // Posting is REST only: it works without a gateway session.
      const ref = await adapter.post(fake.channelId, { blocks: [{ kind: 'text', text: 'between sessions' }] }, { deliveryId: 'post|between' });
      expect(fake.messages.get(ref.id)?.embeds).toEqual([{ description: 'between sessions', footer: { text: expect.stringMatching(/^ref [0-9a-f]{8}$/) } }]);
      await adapter.start(handlers);
      expect(fake.gatewayEvents.filter((event) => event.op === 'identify')).toHaveLength(2);
      const interaction = fake.interact({ command: 'help' });
      await fake.waitForCall('POST', interaction.callbackPath);
    } finally {
      await adapter.stop();
      await fake.close();
    }
  });
});

describe('Discord adapter with a rejected token', () => {
  it('fails to start with a clear forbidden error and opens no gateway session', async () => {
    const fake = await FakeDiscord.start();
    fake.failNext('PUT', /commands$/, { status: 401, code: 0, message: '401: Unauthorized' });
    const adapter = createDiscordAdapter({ token: 'wrong', applicationId: fake.applicationId, apiUrl: fake.apiUrl, logger: pino({ level: 'silent' }) });
    try {
      const error = await adapter.start(handlers).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ChatError);
      expect((error as ChatError).code).toBe('forbidden');
      expect((error as ChatError).message).toContain('DISCORD_TOKEN');
      expect(fake.gatewayEvents).toEqual([]);
    } finally {
      await adapter.stop();
      await fake.close();
    }
  });
});

describe('Discord adapter whose gateway is slow to let the session start', () => {
  it('returns from start after the connect timeout, posts meanwhile, and answers commands once the session is up', async () => {
    const fake = await FakeDiscord.start({ heartbeatIntervalMs: 400, answerIdentify: false });
    const adapter = createDiscordAdapter({
      token: 'test-token',
      applicationId: fake.applicationId,
      apiUrl: fake.apiUrl,
      logger: pino({ level: 'silent' }),
      connectTimeoutMs: 500,
    });
    try {
      await adapter.start(handlers);
      expect(fake.gatewayEvents.some((event) => event.op === 'ready')).toBe(false);
      const ref = await adapter.post(fake.channelId, { blocks: [{ kind: 'text', text: 'posted before the gateway' }] }, { deliveryId: 'post|early' });
      expect(fake.messages.get(ref.id)).toBeDefined();

      // The gateway recovers: the next connection gets its READY and the bot answers.
      fake.answerIdentify = true;
      fake.dropConnection({ code: 4000 });
      await fake.waitForSessions(1, 15_000);
      const interaction = fake.interact({ command: 'help' });
      await fake.waitForCall('POST', interaction.callbackPath);
    } finally {
      await adapter.stop();
      await fake.close();
    }
  });
});

