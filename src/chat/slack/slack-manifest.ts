// The Slack app manifest, built from COMMAND_SPECS so the slash commands Slack knows are the ones we handle.
// slack-manifest.yaml at the repository root is this, for Socket Mode; a test keeps the two in step.
import { Document } from 'yaml';
import { COMMAND_SPECS } from '../../core/commands/command-specs.js';

/** What the bot needs, and nothing more. */
export const SLACK_BOT_SCOPES = [
  'commands', // slash commands
  'chat:write', // posts and edits in channels the bot is in
  'im:write', // conversations.open, to message subscribers
  'channels:history', // conversations.history: find a post we made but did not record (public channels)
  'groups:history', // … private channels
  'im:history', // … direct messages
  'users:read', // users.info: is the member a workspace admin (when no admin list is configured)
] as const;

export interface SlackManifestOptions {
  /** App and bot name as members see it. */
  name?: string;
  /** HTTP mode: the public URL of /slack/events. Absent: Socket Mode (no public URL needed). */
  requestUrl?: string;
}

export function buildSlackManifest(options: SlackManifestOptions = {}): Record<string, unknown> {
  const name = options.name ?? 'storywatch';
  const socketMode = options.requestUrl === undefined;
  return {
    display_information: {
      name,
      description: 'Watches news feeds for developments in the stories your newsroom tracks.',
      background_color: '#1d3557',
    },
    features: {
      bot_user: { display_name: name, always_online: true },
      slash_commands: COMMAND_SPECS.map((spec) => ({
        command: `/${spec.name}`,
        description: spec.description,
        ...(spec.usage !== '' ? { usage_hint: spec.usage } : {}),
        ...(socketMode ? {} : { url: options.requestUrl }),
        should_escape: false,
      })),
    },
    oauth_config: { scopes: { bot: [...SLACK_BOT_SCOPES] } },
    settings: {
      org_deploy_enabled: false,
      socket_mode_enabled: socketMode,
      token_rotation_enabled: false,
    },
  };
}

export function slackManifestYaml(options: SlackManifestOptions = {}): string {
  const document = new Document(buildSlackManifest(options));
  document.commentBefore = [
    ' storywatch Slack app manifest: paste it at https://api.slack.com/apps > Create New App > From a manifest.',
    ' Generated from src/core/commands/command-specs.ts by src/chat/slack/slack-manifest.ts (see docs/slack.md).',
    options.requestUrl === undefined ? ' Socket Mode: no public URL needed.' : ` HTTP mode: requests go to ${options.requestUrl}.`,
  ].join('\n');
  return document.toString({ lineWidth: 0 });
}
