// Slack transport: Bolt in Socket Mode (app token) or HTTP mode (signing secret), slash commands in,
// Block Kit posts out. No command logic here: invocations go to handlers.onCommand and its Reply is rendered.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type SlashCommand } from '@slack/bolt';
import type { Logger } from 'pino';
import { splitArguments } from '../../core/commands/parse-command.js';
import type { CommandInvocation, Message, MessageRef, Reply } from '../../core/model.js';
import { ChatError, type ChatAdapter, type ChatErrorCode, type CommandHandlers, type SendOptions } from '../../core/ports.js';
import { renderSlackMessage, renderSlackReply } from './slack-blocks.js';
import { needsAdminAttention, slackErrorName, toChatError } from './slack-errors.js';
import { slackLoggerFrom } from './slack-logger.js';

/** Message metadata event type that marks our posts, so a restart can find one it did not record. */
export const DELIVERY_EVENT_TYPE = 'storywatch_delivery';

export interface SlackChannelProblem {
  /** Channel or user the call was about. */
  channel: string;
  /** Slack's error string: "is_archived", "missing_scope", "not_in_channel"… */
  error: string;
  code: ChatErrorCode;
  /** The Web API method that failed. */
  action: string;
}

export interface SlackAdapterOptions {
  botToken: string;
  /** App-level token (xapp-…): Socket Mode, no public URL needed. */
  appToken?: string;
  /** Without an app token: HTTP mode, requests verified with this secret. */
  signingSecret?: string;
  /** HTTP mode port; 0 picks a free one (see listeningPort()). */
  port?: number;
  /** HTTP mode interface to listen on; all interfaces when absent. */
  host?: string;
  /** Web API base URL (a fake in tests, or a proxy); Socket Mode's connection URL comes from it too. */
  apiUrl?: string;
  /** Members who may run admin commands. When empty, workspace admins and owners (users.info) are. */
  adminUserIds?: string[];
  logger: Logger;
  /** Told once per channel and error when Slack refuses a channel for good (archived, not invited, missing scope). */
  onChannelProblem?: (problem: SlackChannelProblem) => void;
  /** A command handler slower than this gets an empty ack, and its reply goes to response_url. Default 2000. */
  ackDeadlineMs?: number;
  /** Timeout for one Web API request. Default 10000. */
  requestTimeoutMs?: number;
}

export type SlackAdapter = ChatAdapter & {
  readonly app: App;
  readonly mode: 'socket' | 'http';
  /** The port the HTTP receiver is bound to once started (HTTP mode only). */
  listeningPort(): number | undefined;
};

const DEFAULT_ACK_DEADLINE_MS = 2000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const ADMIN_CACHE_MS = 10 * 60_000;
const HISTORY_LOOKBACK = 200;

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const log = options.logger.child({ component: 'slack-adapter' });
  const mode = options.appToken !== undefined && options.appToken !== '' ? 'socket' : 'http';
  if (mode === 'http' && (options.signingSecret === undefined || options.signingSecret === '')) {
    throw new Error('Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) besides SLACK_BOT_TOKEN');
  }
  const app = new App({
    token: options.botToken,
    ...(mode === 'socket' ? { socketMode: true, appToken: options.appToken } : { signingSecret: options.signingSecret, port: options.port ?? 3000 }),
    logger: slackLoggerFrom(options.logger),
    // auth.test runs in start(), where a bad token fails loudly, not as a stray rejection at construction.
    deferInitialization: true,
    // We keep no per-conversation state in Bolt.
    convoStore: false,
    clientOptions: {
      ...(options.apiUrl !== undefined ? { slackApiUrl: withTrailingSlash(options.apiUrl) } : {}),
      // The client's default retries one call for ~30 minutes. 429s come back to our deliverer at once
      // (it backs off and obeys Retry-After); network errors and 5xx get two quick retries.
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000, maxRetryTime: 10_000 },
      timeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    },
  });
  const client = app.client;
  const adminUserIds = new Set(options.adminUserIds ?? []);
  const adminCache = new Map<string, { isAdmin: boolean; until: number }>();
  const reportedProblems = new Set<string>();
  let started = false;
  let server: Server | undefined;
  let handlers: CommandHandlers | undefined;

  /** Runs one Web API call; failures become ChatErrors, and a channel Slack refuses for good is reported once. */
  async function call<T>(action: string, channel: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const chatError = toChatError(error, action);
      const slackError = slackErrorName(error);
      if (slackError !== undefined && needsAdminAttention(slackError)) reportChannelProblem(channel, action, chatError, slackError);
      throw chatError;
    }
  }

  function reportChannelProblem(channel: string, action: string, chatError: ChatError, error: string): void {
    const key = `${channel}|${error}`;
    if (reportedProblems.has(key)) return;
    reportedProblems.add(key);
    log.warn({ channel, error, action }, 'Slack refused a channel; the admin must fix it (invite the bot, unarchive, or add the scope)');
    try {
      options.onChannelProblem?.({ channel, error, code: chatError.code, action });
    } catch (callbackError) {
      log.error({ err: callbackError }, 'onChannelProblem callback failed');
    }
  }

  async function isAdmin(userId: string): Promise<boolean> {
    if (adminUserIds.size > 0) return adminUserIds.has(userId);
    const cached = adminCache.get(userId);
    if (cached !== undefined && cached.until > Date.now()) return cached.isAdmin;
    try {
      const { user } = await client.users.info({ user: userId });
      const admin = user?.is_admin === true || user?.is_owner === true || user?.is_primary_owner === true;
      adminCache.set(userId, { isAdmin: admin, until: Date.now() + ADMIN_CACHE_MS });
      return admin;
    } catch (error) {
      log.warn({ err: error, userId }, 'users.info failed; treating the member as not an admin');
      return false;
    }
  }

  async function toInvocation(command: SlashCommand): Promise<CommandInvocation> {
    return {
      platform: 'slack',
      userId: command.user_id,
      ...(command.channel_id ? { channelId: command.channel_id } : {}),
      name: command.command.replace(/^\//, ''),
      // The same splitting as typed commands everywhere: "quoted words" stay together.
      args: splitArguments(command.text),
      isAdmin: await isAdmin(command.user_id),
    };
  }

  function registerCommands(): void {
    const deadlineMs = options.ackDeadlineMs ?? DEFAULT_ACK_DEADLINE_MS;
    // Every slash command this app receives: the manifest decides which exist, the core answers unknown ones.
    app.command(/^\/.+/, async ({ command, ack, respond }) => {
      const outcome = toInvocation(command)
        .then((invocation) => {
          if (handlers === undefined) throw new Error('a command arrived before start()');
          return handlers.onCommand(invocation);
        })
        .then(
          (reply) => reply,
          (error: unknown) => {
            log.error({ err: error, command: command.command }, 'command handler failed');
            return failureReply();
          },
        );
      const early = await withinDeadline(outcome, deadlineMs);
      if (early !== undefined) {
        await ack(renderSlackReply(early));
        return;
      }
      // Slack wants an answer within 3 s: acknowledge now, answer through response_url when ready.
      await ack();
      try {
        await respond(renderSlackReply(await outcome));
      } catch (error) {
        log.error({ err: error, command: command.command }, 'could not send a late command reply to response_url');
      }
    });
  }

  async function openDirectMessage(userId: string): Promise<string> {
    const opened = await call('conversations.open', userId, () => client.conversations.open({ users: userId }));
    const channelId = opened.channel?.id;
    if (channelId === undefined) throw new ChatError('unknown', 'conversations.open: no channel id in the answer');
    return channelId;
  }

  async function postTo(channel: string, message: Message, deliveryId: string): Promise<MessageRef> {
    const rendered = renderSlackMessage(message);
    const result = await call('chat.postMessage', channel, () =>
      client.chat.postMessage({
        channel,
        blocks: rendered.blocks,
        text: rendered.text,
        metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { delivery_id: deliveryId } },
        // A story post is about our headline; an unfurled card of someone else's page adds noise.
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    if (result.ts === undefined) throw new ChatError('unknown', 'chat.postMessage: no ts in the answer');
    return { platform: 'slack', channel: result.channel ?? channel, id: result.ts };
  }

  registerCommands();

  function listeningPort(): number | undefined {
    const address = server?.address();
    return address !== null && typeof address === 'object' ? (address as AddressInfo).port : undefined;
  }

  return {
    platform: 'slack',
    app,
    mode,
    listeningPort,

    async start(commandHandlers) {
      if (started) throw new Error('The Slack adapter is already started');
      try {
        await app.init();
      } catch (error) {
        throw new Error(`Slack refused the bot token (auth.test): ${toChatError(error, 'auth.test').message}`, { cause: error });
      }
      handlers = commandHandlers;
      if (mode === 'socket') {
        await app.start();
        log.info('Slack connected in Socket Mode');
      } else {
        const port = options.port ?? 3000;
        server = (await app.start(options.host === undefined ? port : { port, host: options.host })) as unknown as Server;
        log.info({ port: listeningPort() }, 'Slack HTTP receiver listening on /slack/events');
      }
      started = true;
    },

    async stop() {
      if (!started) return;
      started = false;
      await app.stop();
      server = undefined;
    },

    post(channel, message, { deliveryId }: SendOptions) {
      return postTo(channel, message, deliveryId);
    },

    async edit(ref, message) {
      const rendered = renderSlackMessage(message);
      await call('chat.update', ref.channel, () =>
        client.chat.update({ channel: ref.channel, ts: ref.id, blocks: rendered.blocks, text: rendered.text }),
      );
    },

    async dm(userId, message, { deliveryId }: SendOptions) {
      return postTo(await openDirectMessage(userId), message, deliveryId);
    },

    async findSent(channel, deliveryId) {
      // A direct message's destination is a user: its history lives in the DM channel.
      const target = /^[UW][A-Z0-9]+$/.test(channel) ? await openDirectMessage(channel) : channel;
      const history = await call('conversations.history', target, () =>
        client.conversations.history({ channel: target, include_all_metadata: true, limit: HISTORY_LOOKBACK }),
      );
      const messages = (history.messages ?? []) as HistoryMessage[];
      const sent = messages.find(
        (message) => message.metadata?.event_type === DELIVERY_EVENT_TYPE && message.metadata.event_payload?.delivery_id === deliveryId,
      );
      return sent?.ts === undefined ? undefined : { platform: 'slack', channel: target, id: sent.ts };
    },
  };
}

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

/** Resolves with the value if it settles within ms, else with undefined (the promise keeps running). */
async function withinDeadline<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function failureReply(): Reply {
  return {
    visibility: 'ephemeral',
    message: { blocks: [{ kind: 'text', text: 'Sorry, that command failed. The error has been logged.' }], accent: 'error' },
  };
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
