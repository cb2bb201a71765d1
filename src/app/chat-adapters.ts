// The Slack and Discord adapters the configuration asks for, with what to do when a platform
// refuses a channel for good: log it and tell the admins once. (Not a health failure: restarting
// the bot would not fix a channel's setup.)
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { createDiscordAdapter } from '../chat/discord/discord-adapter.js';
import { createSlackAdapter, type SlackAdapter } from '../chat/slack/slack-adapter.js';
import type { Message } from '../core/model.js';
import type { ChatAdapter } from '../core/ports.js';

function channelProblemMessage(platform: string, channel: string, problem: string, fix: string): Message {
  return {
    title: `storywatch cannot post in ${channel}`,
    blocks: [
      { kind: 'text', text: `${platform} refused storywatch in ${channel}: ${problem}. Updates for that channel are not delivered.` },
      { kind: 'context', text: fix },
    ],
    accent: 'error',
  };
}

export function createChatAdapters(config: AppConfig, logger: Logger): ChatAdapter[] {
  const adapters: ChatAdapter[] = [];
  if (config.slack) {
    const adminIds = config.slack.adminUserIds;
    const slack: SlackAdapter = createSlackAdapter({
      ...config.slack,
      logger,
      // The adapter calls this once per channel and error, so each admin hears of it once.
      onChannelProblem: (problem) => {
        logger.error(problem, 'Slack refused a channel; fix its setup (see docs/slack.md)');
        const message = channelProblemMessage(
          'Slack',
          problem.channel,
          problem.error,
          'Invite the bot to the channel, unarchive it, or reinstall the app with the scopes in slack-manifest.yaml.',
        );
        for (const admin of adminIds) {
          if (admin === problem.channel) continue;
          slack
            .dm(admin, message, { deliveryId: `problem|slack|${problem.channel}|${problem.error}|${admin}` })
            .catch((error: unknown) => logger.error({ err: error, admin }, 'could not tell a Slack admin about a channel problem'));
        }
      },
    });
    adapters.push(slack);
  }
  if (config.discord) {
    adapters.push(
      createDiscordAdapter({
        ...config.discord,
        logger,
        onPermanentFailure: (channel, reason) => {
          logger.error({ channel, reason }, 'Discord refused a channel; fix the bot permissions (see docs/discord.md)');
        },
      }),
    );
  }
  return adapters;
}
