import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildSlackManifest, slackManifestYaml } from '../../../src/chat/slack/slack-manifest.js';
import { COMMAND_SPECS } from '../../../src/core/commands/command-specs.js';

type Manifest = {
  features: { slash_commands: { command: string; description: string; usage_hint?: string; url?: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { socket_mode_enabled: boolean };
};

// Slack refuses a manifest that claims one of its built-in commands.
const SLACK_BUILT_IN_COMMANDS = ['me', 'status', 'away', 'dnd', 'shrug', 'remind', 'msg', 'feed', 'who', 'collapse', 'expand', 'leave', 'join', 'open', 'search', 'topic', 'mute', 'pro', 'shortcuts', 'invite', 'apps'];

describe('the Slack app manifest', () => {
  it('is the file at the repository root, regenerated from the command specs (run the command in docs/slack.md)', () => {
    const onDisk = readFileSync(new URL('../../../slack-manifest.yaml', import.meta.url), 'utf8');
    expect(onDisk).toBe(slackManifestYaml());
  });

  it('declares every command with its description and usage, and no other', () => {
    const manifest = parse(readFileSync(new URL('../../../slack-manifest.yaml', import.meta.url), 'utf8')) as Manifest;
    expect(manifest.features.slash_commands.map((command) => command.command)).toEqual(COMMAND_SPECS.map((spec) => `/${spec.name}`));
    for (const spec of COMMAND_SPECS) {
      const declared = manifest.features.slash_commands.find((command) => command.command === `/${spec.name}`);
      expect(declared?.description).toBe(spec.description);
      expect(declared?.usage_hint ?? '').toBe(spec.usage);
    }
  });

  it('uses command names Slack accepts', () => {
    for (const spec of COMMAND_SPECS) {
      expect(spec.name).toMatch(/^[a-z0-9_-]{1,32}$/);
      expect(SLACK_BUILT_IN_COMMANDS).not.toContain(spec.name);
    }
  });

  it('asks for the scopes of every Web API method the adapter calls', () => {
    const scopes = (buildSlackManifest() as Manifest).oauth_config.scopes.bot;
    expect(scopes).toEqual(expect.arrayContaining(['commands', 'chat:write', 'im:write', 'channels:history', 'groups:history', 'im:history', 'users:read']));
    expect(scopes).not.toContain('chat:write.public');
  });

  it('is Socket Mode by default, and HTTP mode with a request URL on every command', () => {
    expect((buildSlackManifest() as Manifest).settings.socket_mode_enabled).toBe(true);
    const http = buildSlackManifest({ requestUrl: 'https://bot.example/slack/events' }) as Manifest;
    expect(http.settings.socket_mode_enabled).toBe(false);
    expect(new Set(http.features.slash_commands.map((command) => command.url))).toEqual(new Set(['https://bot.example/slack/events']));
  });
});
