// A local Discord for end-to-end tests: the REST routes storywatch uses and a gateway
// WebSocket that speaks enough of the protocol for the real discord.js Client
// (HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME → RESUMED, dispatches).
// Listens on 127.0.0.1 only and records every call.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RecordedCall {
  method: string;
  /** Path after /api/v10, e.g. /channels/123/messages. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization?: string;
  /** What the fake answered. */
  status: number;
}

export type InjectedFailure =
  | { status: 429; retryAfterSeconds: number; global?: boolean }
  | { status: 401 | 403; code: number; message: string }
  | { status: 404; code: number; message: string }
  | { status: 500 };

interface FailureRule {
  method: string;
  path: RegExp;
  remaining: number;
  failure: InjectedFailure;
}

export interface FakeMessage {
  id: string;
  channel_id: string;
  content: string;
  embeds: unknown[];
  nonce?: string | number;
  allowed_mentions?: unknown;
  author: { id: string; username: string; bot: boolean };
  edited: number;
}

export interface GatewayEvent {
  op: 'connect' | 'identify' | 'resume' | 'heartbeat' | 'ready' | 'resumed' | 'close';
  at: number;
  detail?: unknown;
}

export interface InteractionOptions {
  command: string;
  /** Option values by name, in the order given. */
  options?: Record<string, string>;
  /** The option being typed, for autocomplete. */
  focused?: string;
  userId?: string;
  channelId?: string;
  /** Member permissions bitfield as a decimal string ("32" = Manage Server). */
  permissions?: string;
}

const API_PREFIX = '/api/v10';

export const MANAGE_GUILD = '32';

export class FakeDiscord {
  readonly calls: RecordedCall[] = [];
  readonly gatewayEvents: GatewayEvent[] = [];
  readonly messages = new Map<string, FakeMessage>();
  readonly bot = { id: '900000000000000001', username: 'storywatch', discriminator: '0', bot: true, avatar: null, global_name: null };
  readonly applicationId = '900000000000000002';
  readonly guildId = '900000000000000010';
  readonly channelId = '900000000000000011';
  readonly forbiddenChannelId = '900000000000000012';

  private readonly failures: FailureRule[] = [];
  /** Guild channels, opened DM channels and any channel posted to: others are Unknown Channel to a read. */
  private readonly knownChannels = new Set<string>([this.channelId, this.forbiddenChannelId]);
  private readonly waiters: { check: () => boolean; resolve: () => void }[] = [];
  private nextId = 1_000_000_000_000_000n;
  private socket: WebSocket | undefined;
  private sessionId = '';
  private sequence = 0;
  private heartbeatIntervalMs: number;
  /** When false, IDENTIFY gets no READY (a gateway that does not let the session start). */
  answerIdentify = true;

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    heartbeatIntervalMs: number,
  ) {
    this.heartbeatIntervalMs = heartbeatIntervalMs;
  }

  static async start(options: { heartbeatIntervalMs?: number; answerIdentify?: boolean } = {}): Promise<FakeDiscord> {
    const server = createServer();
    const wss = new WebSocketServer({ server });
    const fake = new FakeDiscord(server, wss, options.heartbeatIntervalMs ?? 500);
    fake.answerIdentify = options.answerIdentify ?? true;
    server.on('request', (req, res) => void fake.onRequest(req, res));
    wss.on('connection', (socket, req) => fake.onConnection(socket, req));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The REST base to give discord.js (it appends /v10). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next `times` calls matching method and path get this failure instead of an answer. */
  failNext(method: string, path: RegExp, failure: InjectedFailure, times = 1): void {
    this.failures.push({ method, path, remaining: times, failure });
  }

  /** Puts a message in a channel as if someone (by default another bot) had posted it; returns it. */
  addMessage(channel: string, message: { embeds: unknown[]; content?: string; author?: FakeMessage['author'] }): FakeMessage {
    const added: FakeMessage = {
      id: this.snowflake(),
      channel_id: channel,
      content: message.content ?? '',
      embeds: message.embeds,
      author: message.author ?? { id: '700000000000000777', username: 'another-bot', bot: true },
      edited: 0,
    };
    this.messages.set(added.id, added);
    this.knownChannels.add(channel);
    return added;
  }

  callsTo(method: string, path: RegExp): RecordedCall[] {
    return this.calls.filter((call) => call.method === method && path.test(call.path));
  }

  /** Resolves once check() holds (checked after every recorded call and gateway event). */
  async waitFor(check: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
    if (check()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`FakeDiscord: timed out waiting for ${what}`));
      }, timeoutMs);
      const waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  async waitForCall(method: string, path: RegExp, count = 1, timeoutMs = 5_000): Promise<RecordedCall> {
    await this.waitFor(() => this.callsTo(method, path).length >= count, timeoutMs, `${method} ${path.source}`);
    return this.callsTo(method, path)[count - 1]!;
  }

  // ---- gateway

  /** Sends a dispatch on the live session; returns its sequence number. */
  dispatch(type: string, data: unknown): number {
    if (!this.socket) throw new Error('FakeDiscord: no gateway connection');
    this.sequence += 1;
    this.socket.send(JSON.stringify({ op: 0, t: type, s: this.sequence, d: data }));
    return this.sequence;
  }

  /**
   * Drops the gateway connection: with a close code, or by cutting the socket with no close frame.
   * With forgetSession, a RESUME is answered with INVALID_SESSION (the client must identify again).
   */
  dropConnection(how: { code: number } | 'cut', options: { forgetSession?: boolean } = {}): void {
    const socket = this.socket;
    if (!socket) throw new Error('FakeDiscord: no gateway connection');
    this.socket = undefined;
    if (options.forgetSession) this.sessionId = '';
    if (how === 'cut') socket.terminate();
    else socket.close(how.code, 'fake discord closed the session');
  }

  /** Waits until the gateway has sent READY or RESUMED `count` times in total. */
  async waitForSessions(count: number, timeoutMs = 8_000): Promise<void> {
    await this.waitFor(
      () => this.gatewayEvents.filter((event) => event.op === 'ready' || event.op === 'resumed').length >= count,
      timeoutMs,
      `${count} gateway sessions`,
    );
  }

  /** Sends INTERACTION_CREATE for a slash command (or its autocomplete when focused is set). */
  interact(options: InteractionOptions): { id: string; token: string; callbackPath: RegExp } {
    const id = this.snowflake();
    const token = `token-${id}`;
    const userId = options.userId ?? '700000000000000001';
    const channelId = options.channelId ?? this.channelId;
    const user = { id: userId, username: `user${userId.slice(-3)}`, discriminator: '0', avatar: null, global_name: null };
    this.dispatch('INTERACTION_CREATE', {
      id,
      application_id: this.applicationId,
      type: options.focused ? 4 : 2,
      token,
      version: 1,
      guild_id: this.guildId,
      channel_id: channelId,
      channel: { id: channelId, type: 0, guild_id: this.guildId, name: 'stories' },
      member: {
        user,
        roles: [],
        joined_at: '2024-01-01T00:00:00.000Z',
        deaf: false,
        mute: false,
        flags: 0,
        permissions: options.permissions ?? '1024',
      },
      app_permissions: '2147483647',
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { 0: this.guildId },
      context: 0,
      data: {
        id: this.snowflake(),
        name: options.command,
        type: 1,
        options: Object.entries(options.options ?? {}).map(([name, value]) => ({
          name,
          type: 3,
          value,
          ...(name === options.focused ? { focused: true } : {}),
        })),
      },
    });
    return { id, token, callbackPath: new RegExp(`^/interactions/${id}/${token}/callback$`) };
  }

  private onConnection(socket: WebSocket, req: IncomingMessage): void {
    this.socket?.terminate();
    this.socket = socket;
    this.event('connect', req.url);
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs } }));
    socket.on('message', (raw) => this.onGatewayMessage(socket, JSON.parse(String(raw)) as { op: number; d: unknown }));
    socket.on('close', (code) => this.event('close', code));
  }

  private onGatewayMessage(socket: WebSocket, payload: { op: number; d: unknown }): void {
    switch (payload.op) {
      case 1:
        this.event('heartbeat', payload.d);
        socket.send(JSON.stringify({ op: 11 }));
        return;
      case 2:
        this.event('identify', payload.d);
        if (!this.answerIdentify) return;
        this.sessionId = `session-${this.snowflake()}`;
        this.sequence = 0;
        this.dispatch('READY', {
          v: 10,
          user: this.bot,
          guilds: [{ id: this.guildId, unavailable: true }],
          session_id: this.sessionId,
          resume_gateway_url: this.gatewayUrl,
          shard: [0, 1],
          application: { id: this.applicationId, flags: 0 },
        });
        this.event('ready');
        this.dispatch('GUILD_CREATE', this.guildPayload());
        return;
      case 6: {
        const resume = payload.d as { session_id: string; seq: number };
        this.event('resume', resume);
        if (!this.sessionId || resume.session_id !== this.sessionId) {
          socket.send(JSON.stringify({ op: 9, d: false }));
          return;
        }
        this.dispatch('RESUMED', {});
        this.event('resumed');
        return;
      }
      default:
        return;
    }
  }

  private guildPayload(): unknown {
    return {
      id: this.guildId,
      name: 'Newsroom',
      icon: null,
      owner_id: '700000000000000099',
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      features: [],
      mfa_level: 0,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      joined_at: '2024-01-01T00:00:00.000Z',
      large: false,
      unavailable: false,
      member_count: 2,
      roles: [
        { id: this.guildId, name: '@everyone', color: 0, hoist: false, position: 0, permissions: '1024', managed: false, mentionable: false, flags: 0 },
      ],
      emojis: [],
      stickers: [],
      members: [],
      channels: [
        { id: this.channelId, type: 0, name: 'stories', position: 0, permission_overwrites: [], parent_id: null, nsfw: false, topic: null },
        { id: this.forbiddenChannelId, type: 0, name: 'locked', position: 1, permission_overwrites: [], parent_id: null, nsfw: false, topic: null },
      ],
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  // ---- REST

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const method = req.method ?? 'GET';
    const pathname = decodeURIComponent(url.pathname);
    const path = pathname.startsWith(API_PREFIX) ? pathname.slice(API_PREFIX.length) : pathname;
    const call: RecordedCall = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      status: 0,
    };
    const answer = this.injectedFailure(method, path) ?? this.route(method, path, body, url);
    call.status = answer.status;
    this.calls.push(call);
    if (answer.status === 204) {
      res.writeHead(204, answer.headers).end();
    } else {
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify(answer.body ?? {}));
    }
    this.notify();
  }

  private injectedFailure(method: string, path: string): Answer | undefined {
    const rule = this.failures.find((candidate) => candidate.method === method && candidate.path.test(path) && candidate.remaining > 0);
    if (!rule) return undefined;
    rule.remaining -= 1;
    const failure = rule.failure;
    switch (failure.status) {
      case 429:
        return {
          status: 429,
          headers: {
            'retry-after': String(failure.retryAfterSeconds),
            'x-ratelimit-scope': 'user',
            ...(failure.global ? { 'x-ratelimit-global': 'true' } : {}),
          },
          body: { message: 'You are being rate limited.', retry_after: failure.retryAfterSeconds, global: failure.global ?? false, code: 0 },
        };
      case 401:
      case 403:
      case 404:
        return { status: failure.status, body: { message: failure.message, code: failure.code } };
      case 500:
        return { status: 500, body: { message: 'Internal Server Error', code: 0 } };
    }
  }

  private route(method: string, path: string, body: unknown, url: URL): Answer {
    let match: RegExpMatchArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      return {
        status: 200,
        body: {
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
        },
      };
    }
    if (method === 'GET' && path === '/users/@me') return { status: 200, body: this.bot };
    if (method === 'PUT' && (match = path.match(/^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/))) {
      const commands = (body as { name: string }[]).map((command) => ({
        ...command,
        id: this.snowflake(),
        application_id: match![1],
        ...(match![2] ? { guild_id: match![2] } : {}),
        version: '1',
      }));
      return { status: 200, body: commands };
    }
    if (method === 'POST' && path === '/users/@me/channels') {
      const recipient = (body as { recipient_id: string }).recipient_id;
      this.knownChannels.add(`8${recipient.slice(1)}`);
      return { status: 200, body: { id: `8${recipient.slice(1)}`, type: 1, recipients: [{ id: recipient, username: 'reader', discriminator: '0' }] } };
    }
    if ((match = path.match(/^\/channels\/(\d+)\/messages$/))) {
      const channel = match[1]!;
      if (method === 'POST') return this.createMessage(channel, body as Record<string, unknown>);
      if (method === 'GET') {
        const refused = this.refuseRead(channel);
        if (refused) return refused;
        // Discord serves 1 to 100 messages a page, 50 unless told, newest first.
        const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 50)));
        const list = [...this.messages.values()].filter((message) => message.channel_id === channel).reverse().slice(0, limit);
        // Discord does not store nonces: fetched messages never carry one.
        return { status: 200, body: list.map((message) => this.messageJson(message, { withNonce: false })) };
      }
    }
    if (method === 'GET' && (match = path.match(/^\/channels\/(\d+)\/messages\/(\d+)$/))) {
      const refused = this.refuseRead(match[1]!);
      if (refused) return refused;
      const message = this.messages.get(match[2]!);
      if (!message || message.channel_id !== match[1]) return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
      return { status: 200, body: this.messageJson(message, { withNonce: false }) };
    }
    if (method === 'PATCH' && (match = path.match(/^\/channels\/(\d+)\/messages\/(\d+)$/))) {
      const message = this.messages.get(match[2]!);
      if (!message || message.channel_id !== match[1]) return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
      const patch = body as Partial<FakeMessage>;
      if (patch.content !== undefined) message.content = patch.content;
      if (patch.embeds !== undefined) message.embeds = patch.embeds;
      message.edited += 1;
      return { status: 200, body: this.messageJson(message) };
    }
    if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return { status: 204 };
    if ((match = path.match(/^\/webhooks\/(\d+)\/([^/]+)(\/messages\/@original)?$/))) {
      if (method === 'DELETE') return { status: 204 };
      const data = body as { content?: string; embeds?: unknown[]; flags?: number };
      return {
        status: 200,
        body: {
          id: this.snowflake(),
          channel_id: this.channelId,
          content: data.content ?? '',
          embeds: data.embeds ?? [],
          flags: data.flags ?? 0,
          author: this.bot,
          timestamp: new Date(0).toISOString(),
          edited_timestamp: null,
          tts: false,
          mention_everyone: false,
          mentions: [],
          mention_roles: [],
          attachments: [],
          pinned: false,
          type: 0,
        },
      };
    }
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  /** A read of a channel the bot cannot see (403) or that does not exist, such as a user id (404). */
  private refuseRead(channel: string): Answer | undefined {
    if (channel === this.forbiddenChannelId) return { status: 403, body: { message: 'Missing Access', code: 50001 } };
    if (!this.knownChannels.has(channel)) return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
    return undefined;
  }

  private createMessage(channel: string, body: Record<string, unknown>): Answer {
    if (channel === this.forbiddenChannelId) return { status: 403, body: { message: 'Missing Access', code: 50001 } };
    this.knownChannels.add(channel);
    const nonce = body.nonce as string | number | undefined;
    if (nonce !== undefined && body.enforce_nonce === true) {
      const earlier = [...this.messages.values()].find((message) => message.channel_id === channel && message.nonce === nonce);
      if (earlier) return { status: 200, body: this.messageJson(earlier) };
    }
    const message: FakeMessage = {
      id: this.snowflake(),
      channel_id: channel,
      content: (body.content as string | undefined) ?? '',
      embeds: (body.embeds as unknown[] | undefined) ?? [],
      ...(nonce !== undefined ? { nonce } : {}),
      allowed_mentions: body.allowed_mentions,
      author: { id: this.bot.id, username: this.bot.username, bot: true },
      edited: 0,
    };
    this.messages.set(message.id, message);
    return { status: 200, body: this.messageJson(message) };
  }

  private messageJson(message: FakeMessage, options: { withNonce: boolean } = { withNonce: true }): unknown {
    return {
      id: message.id,
      channel_id: message.channel_id,
      content: message.content,
      embeds: message.embeds,
      author: { ...message.author, discriminator: '0', avatar: null, global_name: null },
      timestamp: new Date(0).toISOString(),
      edited_timestamp: message.edited > 0 ? new Date(0).toISOString() : null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      pinned: false,
      type: 0,
      ...(options.withNonce && message.nonce !== undefined ? { nonce: message.nonce } : {}),
    };
  }

  private snowflake(): string {
    this.nextId += 1n;
    return this.nextId.toString();
  }

  private event(op: GatewayEvent['op'], detail?: unknown): void {
    this.gatewayEvents.push({ op, at: this.gatewayEvents.length, ...(detail !== undefined ? { detail } : {}) });
    this.notify();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.check()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}
