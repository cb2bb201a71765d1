// The real discord.js Client against a local fake Discord: commands, posts, edits, failures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createDiscordAdapter, nonceFor, type DiscordAdapter } from '../../src/chat/discord/discord-adapter.js';
import { markerFor } from '../../src/chat/discord/delivery-marker.js';
import { EMBED_LIMITS, embedLength } from '../../src/chat/discord/discord-embeds.js';
import { ChatError, type CommandHandlers } from '../../src/core/ports.js';
import type { CommandInvocation, Message, Reply } from '../../src/core/model.js';
import { FakeDiscord, MANAGE_GUILD } from '../fakes/fake-discord.js';

interface CallbackBody {
  type: number;
  data?: { flags?: number; embeds?: { title?: string; description?: string }[]; choices?: { name: string; value: string }[] };
}

const EPHEMERAL = 64;

function textReply(visibility: Reply['visibility'], text: string): Reply {
  return { visibility, message: { blocks: [{ kind: 'text', text }] } };
}

/** Handlers that record what they were asked and answer from a table (slowly, when told). */
function recordingHandlers() {
  const invocations: CommandInvocation[] = [];
  const completions: { command: string; option: string; partial: string; args: Record<string, string> }[] = [];
  let delayMs = 0;
  const handlers: CommandHandlers = {
    async onCommand(invocation) {
      invocations.push(invocation);
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (invocation.name === 'help') return textReply('public', 'storywatch watches feeds');
      if (invocation.name === 'feeds') return textReply('public', 'all feeds fine');
      if (invocation.name === 'unsubscribe') throw new Error('store unavailable');
      return textReply('ephemeral', `you asked ${invocation.name} ${invocation.args.join(' ')}`);
    },
    onComplete(command, option, partial, args) {
      completions.push({ command, option, partial, args });
      return Array.from({ length: 40 }, (_, i) => ({ name: `${partial} company ${i}`, value: `${partial}-${i}` }));
    },
  };
  return {
    handlers,
    invocations,
    completions,
    setDelay(ms: number) {
      delayMs = ms;
    },
  };
}

describe('Discord adapter with the real discord.js client against a fake Discord', () => {
  let fake: FakeDiscord;
  let adapter: DiscordAdapter;
  const permanentFailures: { channel: string; reason: string }[] = [];
  const recorder = recordingHandlers();

  beforeAll(async () => {
    fake = await FakeDiscord.start({ heartbeatIntervalMs: 400 });
    adapter = createDiscordAdapter({
      token: 'test-token',
      applicationId: fake.applicationId,
      guildId: fake.guildId,
      apiUrl: fake.apiUrl,
      logger: pino({ level: process.env.TEST_LOG ?? 'silent' }),
      onPermanentFailure: (channel, reason) => permanentFailures.push({ channel, reason }),
      deferAfterMs: 300,
      maxRateLimitWaitMs: 1_500,
      requestTimeoutMs: 3_000,
    });
    await adapter.start(recorder.handlers);
  });

  afterAll(async () => {
    await adapter?.stop();
    await fake?.close();
  });

  it('registers every slash command to the guild, with autocomplete, mode choices and admin permissions', () => {
    const [registration] = fake.callsTo('PUT', /^\/applications\/\d+\/guilds\/\d+\/commands$/);
    expect(registration?.authorization).toBe('Bot test-token');
    const commands = registration!.body as {
      name: string;
      default_member_permissions: string | null;
      options: { name: string; autocomplete?: boolean; choices?: { value: string }[] }[];
    }[];
    expect(commands.map((command) => command.name)).toEqual(['story', 'subscribe', 'unsubscribe', 'subscriptions', 'feeds', 'help']);
    const subscribe = commands.find((command) => command.name === 'subscribe')!;
    expect(subscribe.options.find((option) => option.name === 'company')?.autocomplete).toBe(true);
    expect(subscribe.options.find((option) => option.name === 'mode')?.choices?.map((choice) => choice.value)).toEqual(['dm', 'mention']);
    expect(commands.find((command) => command.name === 'feeds')?.default_member_permissions).toBe(MANAGE_GUILD);
    expect(subscribe.default_member_permissions).toBeNull();
  });

  it('connects through the gateway URL the fake REST announced, identifying with the Guilds intent only', () => {
    expect(fake.callsTo('GET', /^\/gateway\/bot$/)).toHaveLength(1);
    const identify = fake.gatewayEvents.find((event) => event.op === 'identify')?.detail as { intents: number; token: string };
    expect(identify.intents).toBe(1);
    expect(identify.token).toBe('test-token');
    const connectUrl = String(fake.gatewayEvents.find((event) => event.op === 'connect')?.detail);
    expect(connectUrl).toContain('encoding=json');
    // Without zlib-sync there is no zlib-stream transport compression.
    expect(connectUrl).not.toContain('compress');
  });

  it('answers a private command with an ephemeral interaction response carrying the invocation', async () => {
    const interaction = fake.interact({ command: 'subscribe', options: { company: 'netflix', mode: 'dm' }, userId: '700000000000000042' });
    const callback = await fake.waitForCall('POST', interaction.callbackPath);
    const body = callback.body as CallbackBody;
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(body.data?.embeds?.[0]?.description).toBe('you asked subscribe netflix dm');
    expect(recorder.invocations.at(-1)).toEqual({
      platform: 'discord',
      userId: '700000000000000042',
      channelId: fake.channelId,
      name: 'subscribe',
      args: ['netflix', 'dm'],
      isAdmin: false,
    });
  });

  it('answers a public command without the ephemeral flag', async () => {
    const interaction = fake.interact({ command: 'help' });
    const body = (await fake.waitForCall('POST', interaction.callbackPath)).body as CallbackBody;
    expect(body.data?.flags ?? 0).toBe(0);
    expect(body.data?.embeds?.[0]?.description).toBe('storywatch watches feeds');
  });

  it('refuses an admin command to a member without Manage Server, without asking the core', async () => {
    const before = recorder.invocations.length;
    const interaction = fake.interact({ command: 'feeds', options: { resume: 'reuters' } });
    const body = (await fake.waitForCall('POST', interaction.callbackPath)).body as CallbackBody;
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(body.data?.embeds?.[0]?.description).toContain('Manage Server');
    expect(recorder.invocations).toHaveLength(before);
  });

  it('runs an admin command for a member with Manage Server, passing the option keyword as the usage writes it', async () => {
    const interaction = fake.interact({ command: 'feeds', options: { resume: 'reuters' }, permissions: MANAGE_GUILD });
    await fake.waitForCall('POST', interaction.callbackPath);
    expect(recorder.invocations.at(-1)).toMatchObject({ name: 'feeds', args: ['resume', 'reuters'], isAdmin: true });
  });

  it('defers a slow command, then replaces the private placeholder with the answer', async () => {
    recorder.setDelay(700);
    try {
      const interaction = fake.interact({ command: 'story', options: { story: 'data-deals' } });
      const deferral = (await fake.waitForCall('POST', interaction.callbackPath)).body as CallbackBody;
      expect(deferral).toEqual({ type: 5, data: { flags: EPHEMERAL } });
      const edit = await fake.waitForCall('PATCH', new RegExp(`^/webhooks/${fake.applicationId}/${interaction.token}/messages/@original$`));
      expect((edit.body as CallbackBody['data'])?.embeds?.[0]?.description).toBe('you asked story data-deals');
    } finally {
      recorder.setDelay(0);
    }
  });

  it('defers a slow public command, then posts the answer publicly in place of the placeholder', async () => {
    recorder.setDelay(700);
    try {
      const interaction = fake.interact({ command: 'help' });
      const webhook = new RegExp(`^/webhooks/${fake.applicationId}/${interaction.token}`);
      await fake.waitForCall('POST', webhook);
      expect(fake.callsTo('DELETE', webhook)).toHaveLength(1);
      const followUp = fake.callsTo('POST', webhook)[0]!.body as { flags?: number; embeds: { description: string }[] };
      expect(followUp.flags ?? 0).toBe(0);
      expect(followUp.embeds[0]?.description).toBe('storywatch watches feeds');
    } finally {
      recorder.setDelay(0);
    }
  });

  it('asks for the earlier option, without asking the core, when a later one would be read in its place', async () => {
    const before = recorder.invocations.length;
    const interaction = fake.interact({ command: 'story', options: { company: 'netflix' } });
    const body = (await fake.waitForCall('POST', interaction.callbackPath)).body as CallbackBody;
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(body.data?.embeds?.[0]?.description).toContain('Give the story option too');
    expect(recorder.invocations).toHaveLength(before);
  });

  it('answers privately with an apology when the core fails, and keeps answering', async () => {
    const failing = fake.interact({ command: 'unsubscribe', options: { company: 'netflix' } });
    const body = (await fake.waitForCall('POST', failing.callbackPath)).body as CallbackBody;
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(body.data?.embeds?.[0]?.description).toContain('failed');
    const next = fake.interact({ command: 'help' });
    await fake.waitForCall('POST', next.callbackPath);
  });

  it('answers autocomplete with at most 25 choices from the core, given the other options so far', async () => {
    const interaction = fake.interact({ command: 'subscribe', options: { story: 'data-deals', company: 'net' }, focused: 'company' });
    const body = (await fake.waitForCall('POST', interaction.callbackPath)).body as CallbackBody;
    expect(body.type).toBe(8);
    expect(body.data?.choices).toHaveLength(25);
    expect(body.data?.choices?.[0]).toEqual({ name: 'net company 0', value: 'net-0' });
    expect(recorder.completions.at(-1)).toEqual({ command: 'subscribe', option: 'company', partial: 'net', args: { story: 'data-deals' } });
  });

  const update: Message = {
    title: 'Netflix responds to the data-sharing report',
    url: 'https://example.org/report',
    blocks: [
      { kind: 'quote', text: 'We never asked for access to private messages.' },
      { kind: 'fields', fields: [{ label: 'Company', value: 'Netflix' }] },
    ],
    footer: 'matched: company named, statement cue "a spokesperson said"',
    accent: 'denies',
  };

  it('posts an update as one message with the embed, a nonce from the delivery id, enforce_nonce and no pings', async () => {
    const ref = await adapter.post(fake.channelId, update, { deliveryId: 'post|u1|discord:chan:' });
    expect(ref).toMatchObject({ platform: 'discord', channel: fake.channelId });
    const [call] = fake.callsTo('POST', new RegExp(`^/channels/${fake.channelId}/messages$`));
    const body = call!.body as Record<string, unknown>;
    expect(body.nonce).toBe(nonceFor('post|u1|discord:chan:'));
    expect(String(body.nonce).length).toBeLessThanOrEqual(25);
    expect(body.enforce_nonce).toBe(true);
    expect(body.allowed_mentions).toEqual({ parse: [], users: [] });
    expect(body.embeds).toEqual([
      {
        title: 'Netflix responds to the data-sharing report',
        url: 'https://example.org/report',
        description: '> We never asked for access to private messages.',
        fields: [{ name: 'Company', value: 'Netflix', inline: true }],
        footer: { text: `matched: company named, statement cue "a spokesperson said" · ${markerFor('post|u1|discord:chan:')}` },
        color: 0xc62828,
      },
    ]);
    expect(fake.messages.get(ref.id)?.embeds).toHaveLength(1);
  });

  it('returns the same message when a delivery is posted again (the platform dedupes on the nonce)', async () => {
    const first = await adapter.post(fake.channelId, update, { deliveryId: 'post|u2|discord:chan:' });
    const again = await adapter.post(fake.channelId, update, { deliveryId: 'post|u2|discord:chan:' });
    expect(again.id).toBe(first.id);
  });

  it('edits a posted message in place with PATCH', async () => {
    const ref = await adapter.post(fake.channelId, update, { deliveryId: 'post|u3|discord:chan:' });
    const revised: Message = { ...update, blocks: [...update.blocks, { kind: 'context', text: 'Also reported by Reuters' }] };
    await adapter.edit(ref, revised);
    const patch = await fake.waitForCall('PATCH', new RegExp(`^/channels/${fake.channelId}/messages/${ref.id}$`));
    expect((patch.body as { embeds: { description: string }[] }).embeds[0]?.description).toContain('Also reported by Reuters');
    expect(fake.messages.get(ref.id)?.edited).toBe(1);
  });

  it('lets hostile feed text ping nobody, and a subscriber mention name exactly that subscriber', async () => {
    const hostile: Message = {
      title: '@everyone look',
      blocks: [{ kind: 'text', text: '@everyone @here <@&123> <@456> **bold** [x](https://evil.example)' }],
      mentions: ['700000000000000042'],
    };
    const ref = await adapter.post(fake.channelId, hostile, { deliveryId: 'post|hostile|discord:chan:' });
    const call = fake.callsTo('POST', new RegExp(`^/channels/${fake.channelId}/messages$`)).at(-1)!;
    const body = call.body as { content: string; allowed_mentions: unknown; embeds: { description: string }[] };
    expect(body.allowed_mentions).toEqual({ parse: [], users: ['700000000000000042'] });
    expect(body.content).toBe('<@700000000000000042>');
    expect(body.embeds[0]?.description).toContain('\\*\\*bold\\*\\*');
    expect(body.embeds[0]?.description).toContain('\\[x](https://evil.example)');
    expect(ref.id).toBeTruthy();
  });

  it('waits out a short 429 and posts once', async () => {
    const path = new RegExp(`^/channels/${fake.channelId}/messages$`);
    const before = fake.callsTo('POST', path).length;
    fake.failNext('POST', path, { status: 429, retryAfterSeconds: 0.2 });
    const ref = await adapter.post(fake.channelId, update, { deliveryId: 'post|u4|discord:chan:' });
    const calls = fake.callsTo('POST', path).slice(before);
    expect(calls.map((call) => call.status)).toEqual([429, 200]);
    expect(fake.messages.get(ref.id)).toBeDefined();
  });

  it('surfaces a long 429 as rate-limited with the wait, and the post succeeds when retried', async () => {
    const path = new RegExp(`^/channels/${fake.channelId}/messages$`);
    fake.failNext('POST', path, { status: 429, retryAfterSeconds: 30 });
    const error = await adapter.post(fake.channelId, update, { deliveryId: 'post|u5|discord:chan:' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChatError);
    expect((error as ChatError).code).toBe('rate-limited');
    expect((error as ChatError).retryAfterMs).toBeGreaterThanOrEqual(30_000);
    const ref = await adapter.post(fake.channelId, update, { deliveryId: 'post|u5|discord:chan:' });
    expect(fake.messages.get(ref.id)?.nonce).toBe(nonceFor('post|u5|discord:chan:'));
  }, 10_000);

  it('surfaces a Discord outage that outlasts the retries as unavailable', async () => {
    const path = new RegExp(`^/channels/${fake.channelId}/messages$`);
    const before = fake.callsTo('POST', path).length;
    fake.failNext('POST', path, { status: 500 }, 3);
    const error = await adapter.post(fake.channelId, update, { deliveryId: 'post|u8|discord:chan:' }).catch((caught: unknown) => caught);
    expect((error as ChatError).code).toBe('unavailable');
    expect(fake.callsTo('POST', path).slice(before).map((call) => call.status)).toEqual([500, 500, 500]);
  });

  it('reports a channel that refuses the bot as forbidden, once, and goes on posting elsewhere', async () => {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await adapter
        .post(fake.forbiddenChannelId, update, { deliveryId: `post|u6-${attempt}|discord:locked:` })
        .catch((caught: unknown) => caught);
      expect((error as ChatError).code).toBe('forbidden');
    }
    expect(permanentFailures).toEqual([{ channel: fake.forbiddenChannelId, reason: expect.stringContaining('Missing Access') }]);
    const ref = await adapter.post(fake.channelId, update, { deliveryId: 'post|u7|discord:chan:' });
    expect(fake.messages.get(ref.id)).toBeDefined();
  });

  it('sends a direct message by opening a DM channel first, once per user', async () => {
    const first = await adapter.dm('700000000000000042', update, { deliveryId: 'dm|u1|discord::700000000000000042' });
    await adapter.dm('700000000000000042', update, { deliveryId: 'dm|u2|discord::700000000000000042' });
    expect(fake.callsTo('POST', /^\/users\/@me\/channels$/).map((call) => call.body)).toEqual([{ recipient_id: '700000000000000042' }]);
    expect(fake.messages.get(first.id)?.channel_id).toBe(first.channel);
  });

  describe('findSent: a restarted process finds what it sent but did not record', () => {
    const lookups: DiscordAdapter[] = [];
    const lookupRefusals: { channel: string; reason: string }[] = [];

    /** A new adapter with nothing in memory and no gateway session, like a process just restarted. */
    function restartedAdapter(): DiscordAdapter {
      const restarted = createDiscordAdapter({
        token: 'test-token',
        applicationId: fake.applicationId,
        apiUrl: fake.apiUrl,
        logger: pino({ level: process.env.TEST_LOG ?? 'silent' }),
        onPermanentFailure: (channel, reason) => lookupRefusals.push({ channel, reason }),
        requestTimeoutMs: 3_000,
      });
      lookups.push(restarted);
      return restarted;
    }

    afterAll(async () => {
      for (const lookup of lookups) await lookup.stop();
    });

    it('finds a post by its delivery id from one page of 100 of the newest messages, and nothing for another id', async () => {
      const ref = await adapter.post(fake.channelId, update, { deliveryId: 'post|find1|discord:chan:' });
      await adapter.post(fake.channelId, update, { deliveryId: 'post|find1-later|discord:chan:' });
      const restarted = restartedAdapter();
      expect(await restarted.findSent!(fake.channelId, 'post|find1|discord:chan:')).toEqual(ref);
      expect(await restarted.findSent!(fake.channelId, 'post|never-sent|discord:chan:')).toBeUndefined();
      const reads = fake.callsTo('GET', new RegExp(`^/channels/${fake.channelId}/messages$`));
      expect(reads.at(-1)?.query).toEqual({ limit: '100' });
    });

    it('marks every post with a short ref at the end of its footer, even a post without a footer', async () => {
      const ref = await adapter.post(fake.channelId, { blocks: [{ kind: 'text', text: 'no footer here' }] }, { deliveryId: 'post|bare|discord:chan:' });
      const embed = fake.messages.get(ref.id)?.embeds[0] as { footer?: { text: string } };
      expect(embed.footer?.text).toBe(markerFor('post|bare|discord:chan:'));
      expect(markerFor('post|bare|discord:chan:')).toMatch(/^ref [0-9a-f]{8}$/);
    });

    it('finds a direct message given the user id, in the DM channel dm() uses', async () => {
      const user = '700000000000000043';
      const ref = await adapter.dm(user, update, { deliveryId: `dm|find2|discord::${user}` });
      const restarted = restartedAdapter();
      expect(await restarted.findSent!(user, `dm|find2|discord::${user}`)).toEqual(ref);
      expect(await restarted.findSent!(user, `dm|other|discord::${user}`)).toBeUndefined();
      expect(fake.callsTo('GET', new RegExp(`^/channels/${ref.channel}/messages$`)).length).toBeGreaterThanOrEqual(1);
    });

    it('ignores a message by another author that carries the same marker text', async () => {
      const deliveryId = 'post|find3|discord:chan:';
      const copiedFooter = { text: `quoted from storywatch · ${markerFor(deliveryId)}` };
      fake.addMessage(fake.channelId, { embeds: [{ description: 'an impostor', footer: copiedFooter }] });
      const restarted = restartedAdapter();
      expect(await restarted.findSent!(fake.channelId, deliveryId)).toBeUndefined();

      const ours = await adapter.post(fake.channelId, update, { deliveryId });
      fake.addMessage(fake.channelId, { embeds: [{ description: 'a newer impostor', footer: copiedFooter }] });
      expect(await restarted.findSent!(fake.channelId, deliveryId)).toEqual(ours);
    });

    it('keeps the marker when a post is edited, by a process that did not send it too', async () => {
      const deliveryId = 'post|find4|discord:chan:';
      const ref = await adapter.post(fake.channelId, update, { deliveryId });
      const revised: Message = { ...update, blocks: [...update.blocks, { kind: 'context', text: 'Also reported by Reuters' }] };
      await adapter.edit(ref, revised);
      const restarted = restartedAdapter();
      await restarted.edit(ref, { ...revised, footer: 'matched again' });
      const patches = fake.callsTo('PATCH', new RegExp(`^/channels/${fake.channelId}/messages/${ref.id}$`));
      expect(patches.map((patch) => (patch.body as { embeds: { footer?: { text: string } }[] }).embeds[0]?.footer?.text)).toEqual([
        `matched: company named, statement cue "a spokesperson said" · ${markerFor(deliveryId)}`,
        `matched again · ${markerFor(deliveryId)}`,
      ]);
      expect(await restartedAdapter().findSent!(fake.channelId, deliveryId)).toEqual(ref);
    });

    it('keeps the marker within the 6,000-character embed total and the footer limit', async () => {
      const huge: Message = {
        title: 'A very long update',
        blocks: [
          { kind: 'text', text: 'word '.repeat(2_000) },
          { kind: 'fields', fields: Array.from({ length: 25 }, (_, i) => ({ label: `field ${i}`, value: 'value '.repeat(200) })) },
        ],
        footer: 'small print '.repeat(300),
      };
      const deliveryId = 'post|find5|discord:chan:';
      const ref = await adapter.post(fake.channelId, huge, { deliveryId });
      const embed = fake.messages.get(ref.id)!.embeds[0] as Parameters<typeof embedLength>[0];
      expect(embedLength(embed)).toBeLessThanOrEqual(EMBED_LIMITS.total);
      expect(embed.footer!.text.length).toBeLessThanOrEqual(EMBED_LIMITS.footer);
      expect(embed.footer!.text.endsWith(` · ${markerFor(deliveryId)}`)).toBe(true);
      expect(await restartedAdapter().findSent!(fake.channelId, deliveryId)).toEqual(ref);
    });

    it('throws forbidden when it may not read the channel, without reporting the channel as refusing posts', async () => {
      const error = await restartedAdapter()
        .findSent!(fake.forbiddenChannelId, 'post|find6|discord:locked:')
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ChatError);
      expect((error as ChatError).code).toBe('forbidden');
      expect(lookupRefusals).toEqual([]);
    });

    it('throws unavailable when Discord fails while looking, so the deliverer retries later', async () => {
      fake.failNext('GET', new RegExp(`^/channels/${fake.channelId}/messages$`), { status: 500 }, 3);
      const error = await restartedAdapter()
        .findSent!(fake.channelId, 'post|find7|discord:chan:')
        .catch((caught: unknown) => caught);
      expect((error as ChatError).code).toBe('unavailable');
    });
  });

  function sessionCount(): number {
    return fake.gatewayEvents.filter((event) => event.op === 'ready' || event.op === 'resumed').length;
  }

  function opsSince(index: number): string[] {
    return fake.gatewayEvents.slice(index).map((event) => event.op).filter((op) => op !== 'heartbeat');
  }

  it('keeps the session alive with heartbeats the gateway acknowledges', async () => {
    await fake.waitFor(() => fake.gatewayEvents.some((event) => event.op === 'heartbeat'), 3_000, 'a heartbeat');
  });

  it('resumes the session after the gateway closes with 4000 and answers the next command', async () => {
    const sessions = sessionCount();
    const from = fake.gatewayEvents.length;
    const lastSequence = fake.dispatch('TYPING_START', { channel_id: fake.channelId, user_id: '700000000000000001', timestamp: 0 });
    fake.dropConnection({ code: 4000 });
    await fake.waitForSessions(sessions + 1);
    expect(opsSince(from)).toEqual(['close', 'connect', 'resume', 'resumed']);
    expect(fake.gatewayEvents.find((event, index) => index >= from && event.op === 'resume')?.detail).toMatchObject({ seq: lastSequence });
    const interaction = fake.interact({ command: 'help' });
    await fake.waitForCall('POST', interaction.callbackPath);
  });

  it('resumes after the socket is cut without a close frame and answers the next command', async () => {
    const sessions = sessionCount();
    const from = fake.gatewayEvents.length;
    fake.dropConnection('cut');
    await fake.waitForSessions(sessions + 1);
    expect(opsSince(from)).toEqual(['close', 'connect', 'resume', 'resumed']);
    const interaction = fake.interact({ command: 'subscriptions' });
    const body = (await fake.waitForCall('POST', interaction.callbackPath)).body as CallbackBody;
    expect(body.data?.embeds?.[0]?.description).toBe('you asked subscriptions ');
  });

  it('identifies afresh when the gateway has forgotten the session, and answers the next command', async () => {
    const sessions = sessionCount();
    const from = fake.gatewayEvents.length;
    fake.dropConnection({ code: 4000 }, { forgetSession: true });
    await fake.waitForSessions(sessions + 1);
    expect(opsSince(from)).toEqual(expect.arrayContaining(['resume', 'identify', 'ready']));
    const interaction = fake.interact({ command: 'help' });
    await fake.waitForCall('POST', interaction.callbackPath);
  });
});
