// The Discord transport: slash commands in, embeds out. discord.js does the gateway and REST;
// this file maps its events to CommandInvocations and our messages to REST calls.
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import {
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  HTTPError,
  MessageFlags,
  RateLimitError,
  Routes,
  type APIChannel,
  type APIMessage,
  type APIUser,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionReplyOptions,
} from 'discord.js';
import type { Logger } from 'pino';
import { COMMAND_SPECS, type CommandSpec } from '../../core/commands/command-specs.js';
import type { CommandInvocation, Message, MessageRef, Reply } from '../../core/model.js';
import { ChatError, type ChatAdapter, type CommandHandlers, type SendOptions } from '../../core/ports.js';
import { markerFor, markerOf, nonceFor } from './delivery-marker.js';
import { mentionContent, renderEmbed, userMentions } from './discord-embeds.js';
import { commandArgs } from './discord-invocation.js';
import { ADMIN_PERMISSION, registerCommands } from './register-commands.js';

export interface DiscordAdapterOptions {
  token: string;
  applicationId: string;
  /** Registers commands to this server (instant) instead of globally. */
  guildId?: string;
  /** REST base, e.g. http://127.0.0.1:8080/api (discord.js appends /v10); the gateway URL comes from its /gateway/bot. */
  apiUrl?: string;
  logger: Logger;
  /** Told once per channel (or DM user) when Discord refuses us for good (missing access or permissions). */
  onPermanentFailure?: (channel: string, reason: string) => void;
  /** A command whose handler has not answered by then is deferred ("thinking…"). Discord allows 3 s. */
  deferAfterMs?: number;
  /** Rate-limit waits up to this long are waited out inside discord.js; longer ones surface as 'rate-limited'. */
  maxRateLimitWaitMs?: number;
  /** Per-request timeout; a request is tried at most 3 times on network errors and 5xx. */
  requestTimeoutMs?: number;
  /**
   * start() waits this long for the gateway session, then returns anyway (posting needs only REST)
   * while discord.js keeps connecting; commands are answered once the session is up.
   */
  connectTimeoutMs?: number;
  /** stop() waits this long for discord.js to close the gateway. */
  stopTimeoutMs?: number;
}

export type DiscordAdapter = ChatAdapter & { readonly client: Client };

const DEFAULT_DEFER_AFTER_MS = 2_000;
const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 5_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
const DEFAULT_STOP_TIMEOUT_MS = 5_000;
/** Discord answers an autocomplete with at most 25 choices of at most 100 characters. */
const MAX_CHOICES = 25;
const MAX_CHOICE_LENGTH = 100;
/**
 * findSent reads one page of a channel's newest messages. The deliverer asks soon after the crash
 * that matters (on the next round after a restart), so the unrecorded message is among them unless
 * the channel saw 100 messages since; older history is not worth the requests.
 */
const FIND_SENT_LOOKBACK = 100;
/** Markers of messages this process sent, so an edit can keep its marker without reading the message. */
const REMEMBERED_MARKERS = 10_000;
const UNKNOWN_CHANNEL = 10003;

/** Discord error codes that mean "this channel will never accept us" until someone fixes it. */
const PERMANENT_CODES = new Set([
  10003, // Unknown Channel
  50001, // Missing Access
  50007, // Cannot send messages to this user
  50013, // Missing Permissions
]);

export { nonceFor } from './delivery-marker.js';

/** Maps whatever discord.js threw to the ChatError the deliverer understands. */
export function toChatError(error: unknown): ChatError {
  if (error instanceof ChatError) return error;
  if (error instanceof RateLimitError) {
    return new ChatError('rate-limited', `Discord rate limit on ${error.route}`, Math.ceil(error.retryAfter));
  }
  if (error instanceof DiscordAPIError) {
    const detail = `Discord ${error.status} (${String(error.code)}): ${error.message}`;
    if (error.status === 401 || error.status === 403) return new ChatError('forbidden', detail);
    if (error.status === 404) return new ChatError('not-found', detail);
    if (error.status === 429) return new ChatError('rate-limited', detail);
    if (error.status >= 400 && error.status < 500) return new ChatError('invalid', detail);
    return new ChatError('unavailable', detail);
  }
  if (error instanceof HTTPError) return new ChatError('unavailable', `Discord ${error.status}: ${error.message}`);
  if (isNetworkError(error)) return new ChatError('unavailable', `Discord unreachable: ${error.message}`);
  return new ChatError('unknown', error instanceof Error ? error.message : String(error));
}

/** A timeout (our abort), a refused or reset connection, or undici's "fetch failed". */
function isNetworkError(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  if (error.name === 'AbortError' || (error instanceof TypeError && error.message === 'fetch failed')) return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(E[A-Z]+|UND_ERR_\w+)$/.test(code);
}

function isPermanent(error: unknown): boolean {
  return error instanceof DiscordAPIError && typeof error.code === 'number' && PERMANENT_CODES.has(error.code);
}

function replyOptions(reply: Reply): InteractionReplyOptions {
  return {
    embeds: [renderEmbed(reply.message)],
    allowedMentions: { parse: [] },
    ...(reply.visibility === 'ephemeral' ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

function errorReply(text: string): Reply {
  return { visibility: 'ephemeral', message: { blocks: [{ kind: 'text', text }], accent: 'error' } };
}

export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  const { logger } = options;
  const log = logger.child({ platform: 'discord' });
  const deferAfterMs = options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS;
  const maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;

  /** A discord.js Client cannot log in again once destroyed, so each gateway session gets a fresh one. */
  function createClient(): Client {
    const created = new Client({
      intents: [GatewayIntentBits.Guilds],
      // Nothing we send may ping unless a call names the users explicitly.
      allowedMentions: { parse: [] },
      rest: {
        ...(options.apiUrl ? { api: options.apiUrl } : {}),
        retries: 2,
        timeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        // Short waits are obeyed in place; long ones go back to the outbox instead of holding a queue.
        rejectOnRateLimit: (limit) => limit.retryAfter > maxRateLimitWaitMs,
      },
    });
    // REST works without the gateway: posting does not wait for start().
    created.rest.setToken(options.token);
    created.on(Events.InteractionCreate, (interaction) => void onInteraction(interaction));
    created.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
    created.on(Events.ShardDisconnect, (event, shard) => log.warn({ code: event.code, shard }, 'gateway closed for good'));
    created.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'gateway session resumed'));
    created.rest.on('rateLimited', (limit) =>
      log.warn({ route: limit.route, retryAfterMs: limit.retryAfter, global: limit.global }, 'Discord rate limit'),
    );
    return created;
  }

  const permanentlyFailed = new Set<string>();
  const dmChannels = new Map<string, string>();
  let handlers: CommandHandlers | undefined;

  function reportPermanent(channel: string, error: unknown): void {
    if (!isPermanent(error) || permanentlyFailed.has(channel)) return;
    permanentlyFailed.add(channel);
    const reason = error instanceof Error ? error.message : String(error);
    log.warn({ channel, reason }, 'Discord refuses this channel; fix the bot permissions there');
    options.onPermanentFailure?.(channel, reason);
  }

  /** Runs a REST call and turns its failure into a ChatError, noting permanent refusals for channel. */
  async function call<T>(channel: string, request: () => Promise<unknown>): Promise<T> {
    try {
      const result = (await request()) as T;
      permanentlyFailed.delete(channel);
      return result;
    } catch (error) {
      reportPermanent(channel, error);
      throw toChatError(error);
    }
  }

  /** Runs a REST call made only to look (findSent): errors are mapped, but no channel is reported as refusing us. */
  async function look<T>(request: () => Promise<unknown>): Promise<T> {
    try {
      return (await request()) as T;
    } catch (error) {
      throw toChatError(error);
    }
  }

  const sentMarkers = new Map<string, string>();
  function rememberMarker(messageId: string, marker: string): void {
    sentMarkers.set(messageId, marker);
    // Maps iterate in insertion order: the first key is the oldest.
    if (sentMarkers.size > REMEMBERED_MARKERS) sentMarkers.delete(sentMarkers.keys().next().value!);
  }

  /**
   * The marker an edit must keep: remembered, or read from the message (after a restart). Best effort:
   * an edit only follows a recorded post, which findSent never needs to find again.
   */
  async function markerToKeep(ref: MessageRef): Promise<string | undefined> {
    const remembered = sentMarkers.get(ref.id);
    if (remembered) return remembered;
    try {
      const current = (await client.rest.get(Routes.channelMessage(ref.channel, ref.id))) as APIMessage;
      const marker = current.embeds.map(markerOf).find((found) => found !== undefined);
      if (marker) rememberMarker(ref.id, marker);
      return marker;
    } catch (error) {
      log.warn({ err: error, ref }, 'could not read the message to keep its delivery marker; editing without it');
      return undefined;
    }
  }

  let botUserId: string | undefined;
  /** Ids our own messages carry as author: the bot user (known once the gateway is up, else asked once) and the application. */
  async function ownAuthorIds(): Promise<Set<string>> {
    botUserId ??= client.user?.id ?? (await look<APIUser>(() => client.rest.get(Routes.user()))).id;
    return new Set([botUserId, options.applicationId]);
  }

  async function recentMessages(channel: string): Promise<APIMessage[]> {
    const query = new URLSearchParams({ limit: String(FIND_SENT_LOOKBACK) });
    return (await client.rest.get(Routes.channelMessages(channel), { query })) as APIMessage[];
  }

  /**
   * A channel's newest messages, or, when the id is a user's (a DM delivery's destination), those of
   * the DM channel dm() would use. Discord ids do not say which they are: a user id is Unknown Channel.
   */
  async function recentMessagesAt(destination: string): Promise<{ channel: string; messages: APIMessage[] }> {
    const knownDm = dmChannels.get(destination);
    if (knownDm) return { channel: knownDm, messages: await look(() => recentMessages(knownDm)) };
    try {
      return { channel: destination, messages: await recentMessages(destination) };
    } catch (error) {
      if (!(error instanceof DiscordAPIError && error.code === UNKNOWN_CHANNEL)) throw toChatError(error);
      const dmChannel = await openDm(destination);
      return { channel: dmChannel, messages: await look(() => recentMessages(dmChannel)) };
    }
  }

  async function send(channel: string, message: Message, deliveryId: string, reportAs = channel): Promise<MessageRef> {
    const mentions = userMentions(message);
    const marker = markerFor(deliveryId);
    const body = {
      content: mentionContent(mentions),
      embeds: [renderEmbed(message, { marker })],
      nonce: nonceFor(deliveryId),
      // Discord returns the earlier message instead of posting twice when the nonce repeats within minutes.
      enforce_nonce: true,
      allowed_mentions: { parse: [], users: mentions },
    };
    const created = await call<APIMessage>(reportAs, () => client.rest.post(Routes.channelMessages(channel), { body }));
    rememberMarker(created.id, marker);
    return { platform: 'discord', channel, id: created.id };
  }

  async function openDm(userId: string): Promise<string> {
    const known = dmChannels.get(userId);
    if (known) return known;
    const channel = await call<APIChannel>(userId, () =>
      client.rest.post(Routes.userChannels(), { body: { recipient_id: userId } }),
    );
    dmChannels.set(userId, channel.id);
    return channel.id;
  }

  async function answerCommand(interaction: ChatInputCommandInteraction, spec: CommandSpec): Promise<void> {
    const values = new Map<string, string>();
    for (const option of interaction.options.data) {
      if (option.value !== undefined) values.set(option.name, String(option.value));
    }
    const parsed = commandArgs(spec, values);
    if (!parsed.ok) {
      const usage = `/${spec.name} ${spec.usage}`.trim();
      await interaction.reply(replyOptions(errorReply(`Give the ${parsed.missing.name} option too when you give ${parsed.given.name} (${usage}).`)));
      return;
    }
    const invocation: CommandInvocation = {
      platform: 'discord',
      userId: interaction.user.id,
      ...(interaction.channelId ? { channelId: interaction.channelId } : {}),
      name: spec.name,
      args: parsed.args,
      isAdmin: interaction.memberPermissions?.has(ADMIN_PERMISSION) ?? false,
    };
    if (spec.admin && !invocation.isAdmin) {
      await interaction.reply(replyOptions(errorReply(`/${spec.name} changes shared settings: it needs the Manage Server permission.`)));
      return;
    }
    if (!handlers) throw new Error('Discord adapter received a command before start()');

    const pending = handlers.onCommand(invocation).catch((error: unknown) => {
      log.error({ err: error, command: spec.name }, 'command failed');
      return errorReply('Sorry, that command failed. The error has been logged.');
    });
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<'slow'>((resolve) => {
      timer = setTimeout(() => resolve('slow'), deferAfterMs);
    });
    const first = await Promise.race([pending, slow]);
    clearTimeout(timer);
    if (first !== 'slow') {
      await interaction.reply(replyOptions(first));
      return;
    }
    // Discord drops an interaction not answered within 3 s. The placeholder is private: a private
    // answer replaces it; a public one is posted as a follow-up in its place.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const reply = await pending;
    if (reply.visibility === 'ephemeral') {
      // The placeholder's privacy already holds; an edit only replaces what it shows.
      await interaction.editReply({ embeds: [renderEmbed(reply.message)], allowedMentions: { parse: [] } });
    } else {
      await interaction.deleteReply();
      await interaction.followUp(replyOptions(reply));
    }
  }

  async function answerAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    if (!handlers) throw new Error('Discord adapter received an autocomplete before start()');
    const focused = interaction.options.getFocused(true);
    const args: Record<string, string> = {};
    for (const option of interaction.options.data) {
      if (!option.focused && option.value !== undefined) args[option.name] = String(option.value);
    }
    const choices = handlers
      .onComplete(interaction.commandName, focused.name, String(focused.value), args)
      .filter((choice) => choice.name.length > 0 && choice.value.length > 0 && choice.value.length <= MAX_CHOICE_LENGTH)
      .slice(0, MAX_CHOICES)
      .map((choice) => ({
        name: choice.name.length <= MAX_CHOICE_LENGTH ? choice.name : `${choice.name.slice(0, MAX_CHOICE_LENGTH - 1)}…`,
        value: choice.value,
      }));
    await interaction.respond(choices);
  }

  async function onInteraction(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isAutocomplete()) {
        await answerAutocomplete(interaction);
        return;
      }
      if (!interaction.isChatInputCommand()) return;
      const spec = COMMAND_SPECS.find((candidate) => candidate.name === interaction.commandName);
      if (!spec) {
        await interaction.reply(replyOptions(errorReply(`Unknown command /${interaction.commandName}.`)));
        return;
      }
      await answerCommand(interaction, spec);
    } catch (error) {
      // An expired or already-answered interaction must not take the bot down.
      log.error({ err: error, interaction: interaction.id }, 'could not answer an interaction');
    }
  }

  let client = createClient();

  return {
    platform: 'discord',
    get client(): Client {
      return client;
    },

    async start(commandHandlers: CommandHandlers): Promise<void> {
      handlers = commandHandlers;
      try {
        await registerCommands(client.rest, COMMAND_SPECS, {
          applicationId: options.applicationId,
          ...(options.guildId ? { guildId: options.guildId } : {}),
        });
        log.info({ guild: options.guildId ?? 'global', commands: COMMAND_SPECS.length }, 'slash commands registered');
      } catch (error) {
        if (error instanceof DiscordAPIError && error.status === 401) {
          throw new ChatError('forbidden', 'Discord rejected the bot token: check DISCORD_TOKEN (Developer Portal → Bot → Reset Token)');
        }
        // Posting still works without commands; say loudly why commands are missing.
        log.error({ err: error }, 'could not register slash commands (is the applications.commands scope granted?)');
      }
      const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
      const ready = once(client, Events.ClientReady).then(() => 'ready' as const);
      ready.catch(() => undefined);
      const login = client.login(options.token);
      // A login that fails later (after the timeout) is logged, not left unhandled.
      login.catch((error: unknown) => log.error({ err: error }, 'Discord login failed'));
      const outcome = await Promise.race([login.then(() => ready), delay(connectTimeoutMs, undefined, { ref: false }).then(() => 'waiting' as const)]);
      if (outcome === 'waiting') {
        log.warn({ waitedMs: connectTimeoutMs }, 'Discord gateway not ready yet; posting works, commands wait until it connects');
        return;
      }
      log.info({ user: client.user?.tag }, 'connected to the Discord gateway');
    },

    async stop(): Promise<void> {
      const stopping = client;
      client = createClient();
      const stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
      // discord.js can hang destroying a shard that is still waiting for READY; do not hang with it.
      const outcome = await Promise.race([stopping.destroy().then(() => 'closed' as const), delay(stopTimeoutMs, undefined, { ref: false }).then(() => 'waiting' as const)]);
      if (outcome === 'waiting') log.warn({ waitedMs: stopTimeoutMs }, 'Discord gateway did not close in time');
    },

    post(channel: string, message: Message, sendOptions: SendOptions): Promise<MessageRef> {
      return send(channel, message, sendOptions.deliveryId);
    },

    async edit(ref: MessageRef, message: Message): Promise<void> {
      const mentions = userMentions(message);
      // A PATCH replaces the embeds whole: the new footer must carry the marker again.
      const marker = await markerToKeep(ref);
      const body = {
        content: mentionContent(mentions) ?? '',
        embeds: [renderEmbed(message, marker ? { marker } : {})],
        allowed_mentions: { parse: [], users: mentions },
      };
      await call(ref.channel, () => client.rest.patch(Routes.channelMessage(ref.channel, ref.id), { body }));
    },

    async dm(userId: string, message: Message, sendOptions: SendOptions): Promise<MessageRef> {
      const channel = await openDm(userId);
      return send(channel, message, sendOptions.deliveryId, userId);
    },

    /**
     * Finds our message carrying the delivery's marker among the destination's newest 100. Errors are
     * thrown as ChatErrors, 403 and 404 included: the deliverer then sends anyway (it cannot look), and
     * a 403 here (say, no Read Message History) must not mark the channel as refusing our posts.
     */
    async findSent(destination: string, deliveryId: string): Promise<MessageRef | undefined> {
      const marker = markerFor(deliveryId);
      const { channel, messages } = await recentMessagesAt(destination);
      const ours = await ownAuthorIds();
      const sent = messages.find((message) => ours.has(message.author.id) && message.embeds.some((embed) => markerOf(embed) === marker));
      if (!sent) return undefined;
      rememberMarker(sent.id, marker);
      return { platform: 'discord', channel, id: sent.id };
    },
  };
}
