import { DiscordAPIError, PermissionFlagsBits, RateLimitError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { nonceFor, toChatError } from '../../../src/chat/discord/discord-adapter.js';
import { commandArgs } from '../../../src/chat/discord/discord-invocation.js';
import { BOT_PERMISSIONS, buildCommandPayloads, inviteUrl } from '../../../src/chat/discord/register-commands.js';
import { COMMAND_SPECS, type CommandSpec } from '../../../src/core/commands/command-specs.js';

const spec = (name: string): CommandSpec => COMMAND_SPECS.find((candidate) => candidate.name === name)!;

describe('commandArgs', () => {
  it('lists option values in the spec order, whatever order the user typed them', () => {
    const values = new Map([
      ['mode', 'mention'],
      ['company', 'netflix'],
      ['story', 'data-deals'],
    ]);
    expect(commandArgs(spec('subscribe'), values)).toEqual({ ok: true, args: ['netflix', 'data-deals', 'mention'] });
  });

  it('keeps a value with spaces as one argument, like a quoted word', () => {
    expect(commandArgs(spec('subscribe'), new Map([['company', ' Royal Bank of Canada ']]))).toEqual({ ok: true, args: ['Royal Bank of Canada'] });
  });

  it('leaves out an absent option when what follows is recognised by its value', () => {
    const values = new Map([
      ['company', 'netflix'],
      ['mode', 'mention'],
    ]);
    expect(commandArgs(spec('subscribe'), values)).toEqual({ ok: true, args: ['netflix', 'mention'] });
  });

  it('asks for the earlier option when a later one would otherwise be read in its place', () => {
    const result = commandArgs(spec('story'), new Map([['company', 'netflix']]));
    expect(result).toEqual({ ok: false, missing: expect.objectContaining({ name: 'story' }), given: expect.objectContaining({ name: 'company' }) });
  });

  it('keeps the keyword of an option the usage writes as a keyword', () => {
    expect(commandArgs(spec('feeds'), new Map([['resume', 'reuters']]))).toEqual({ ok: true, args: ['resume', 'reuters'] });
    expect(commandArgs(spec('feeds'), new Map())).toEqual({ ok: true, args: [] });
  });
});

describe('buildCommandPayloads', () => {
  const payloads = buildCommandPayloads(COMMAND_SPECS);

  it('registers one chat command per spec with descriptions within Discord limits', () => {
    expect(payloads.map((payload) => payload.name)).toEqual(COMMAND_SPECS.map((command) => command.name));
    for (const payload of payloads) {
      expect(payload.description!.length).toBeLessThanOrEqual(100);
      for (const option of payload.options ?? []) expect(option.description.length).toBeLessThanOrEqual(100);
    }
  });

  it('autocompletes story, company and feed options and offers dm/mention as choices', () => {
    const subscribe = payloads.find((payload) => payload.name === 'subscribe')!;
    expect(subscribe.options).toEqual([
      expect.objectContaining({ name: 'company', type: 3, required: true, autocomplete: true }),
      expect.objectContaining({ name: 'story', type: 3, required: false, autocomplete: true }),
      expect.objectContaining({ name: 'mode', choices: [{ name: 'dm', value: 'dm' }, { name: 'mention', value: 'mention' }] }),
    ]);
    const feeds = payloads.find((payload) => payload.name === 'feeds')!;
    expect(feeds.options).toEqual([expect.objectContaining({ name: 'resume', autocomplete: true })]);
  });

  it('limits admin commands to Manage Server by default', () => {
    for (const payload of payloads) {
      const admin = spec(payload.name).admin;
      expect(payload.default_member_permissions).toBe(admin ? PermissionFlagsBits.ManageGuild.toString() : null);
    }
  });
});

describe('inviteUrl', () => {
  it('asks for the bot and applications.commands scopes and exactly the permissions the bot needs', () => {
    const url = new URL(inviteUrl('123', '456'));
    expect(url.origin + url.pathname).toBe('https://discord.com/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe('123');
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    // View Channel 1024 + Send Messages 2048 + Embed Links 16384 + Read Message History 65536.
    expect(url.searchParams.get('permissions')).toBe('84992');
    expect(BOT_PERMISSIONS).toBe(84992n);
    expect(url.searchParams.get('guild_id')).toBe('456');
  });
});

describe('nonceFor', () => {
  it('gives the same short nonce for the same delivery and different ones for different deliveries', () => {
    expect(nonceFor('post|u1|discord:1:')).toBe(nonceFor('post|u1|discord:1:'));
    expect(nonceFor('post|u1|discord:1:')).not.toBe(nonceFor('post|u2|discord:1:'));
    expect(nonceFor('x'.repeat(500)).length).toBe(25);
  });
});

describe('toChatError', () => {
  const apiError = (status: number, code: number, message: string) =>
    new DiscordAPIError({ code, message }, code, status, 'POST', 'http://127.0.0.1/api/v10/channels/1/messages', { body: undefined, files: undefined });

  it('maps refusals, missing things and bad requests to codes the deliverer can act on', () => {
    expect(toChatError(apiError(403, 50013, 'Missing Permissions')).code).toBe('forbidden');
    expect(toChatError(apiError(404, 10003, 'Unknown Channel')).code).toBe('not-found');
    expect(toChatError(apiError(400, 50035, 'Invalid Form Body')).code).toBe('invalid');
    expect(toChatError(new Error('boom')).code).toBe('unknown');
  });

  it('treats timeouts and connection failures as a passing outage', () => {
    expect(toChatError(new TypeError('fetch failed')).code).toBe('unavailable');
    expect(toChatError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })).code).toBe('unavailable');
    expect(toChatError(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' })).code).toBe('unavailable');
  });

  it('keeps the wait of a rate limit discord.js gave up on', () => {
    const error = toChatError(
      new RateLimitError({
        timeToReset: 30_000,
        limit: 5,
        method: 'POST',
        hash: 'h',
        url: 'http://127.0.0.1/api/v10/channels/1/messages',
        route: '/channels/:id/messages',
        majorParameter: '1',
        global: false,
        retryAfter: 30_050,
        sublimitTimeout: 0,
        scope: 'user',
      }),
    );
    expect(error.code).toBe('rate-limited');
    expect(error.retryAfterMs).toBe(30_050);
  });
});
