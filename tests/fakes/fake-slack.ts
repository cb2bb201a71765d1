// A local stand-in for Slack, all on 127.0.0.1: the Web API (recording every call, answering like Slack,
// or failing on request), response_url endpoints, and a Socket Mode WebSocket. Plus helpers that send
// slash commands the way Slack does (signed HTTP POSTs, or Socket Mode envelopes).
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  /** The bearer token the call carried. */
  token?: string;
}

export interface StoredMessage {
  ts: string;
  channel: string;
  text?: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export type FakeFailure = { rateLimitedForSeconds: number } | { error: string } | { httpStatus: number };

interface FailureRule {
  method: string;
  failure: FakeFailure;
  channel?: string;
  remaining: number;
}

export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
}

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

const JSON_FIELDS = new Set(['blocks', 'metadata', 'attachments']);

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly responseUrlPosts: ResponseUrlPost[] = [];
  /** Members users.info reports as workspace admins. */
  readonly workspaceAdmins = new Set<string>();
  readonly messages: StoredMessage[] = [];
  private readonly failures: FailureRule[] = [];
  private readonly sockets = new Set<WebSocket>();
  private readonly pendingAcks = new Map<string, (ack: SocketAck) => void>();
  private readonly waiters: (() => void)[] = [];
  private tsCounter = 0;

  private constructor(
    private readonly server: Server,
    private readonly sockets$: WebSocketServer,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FakeSlack> {
    const server = createServer();
    const wss = new WebSocketServer({ server, path: '/socket-mode' });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeSlack(server, wss, `http://127.0.0.1:${port}`);
    server.on('request', (request, response) => void fake.handle(request, response));
    wss.on('connection', (socket) => fake.onSocket(socket));
    return fake;
  }

  /** What the adapter's apiUrl option should be. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** The next `times` calls to method (for one channel, if given) fail this way. */
  fail(method: string, failure: FakeFailure, options: { times?: number; channel?: string } = {}): void {
    this.failures.push({ method, failure, channel: options.channel, remaining: options.times ?? Number.POSITIVE_INFINITY });
  }

  /** A fresh response_url, as Slack puts in every slash command. */
  responseUrl(): string {
    return `${this.baseUrl}/respond/${randomUUID()}`;
  }

  /** Resolves once the condition holds (checked after every request and socket message). */
  async waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
    if (condition()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('FakeSlack.waitFor timed out')), timeoutMs);
      const check = () => {
        if (condition()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  get socketConnections(): number {
    return this.sockets.size;
  }

  /** Sends a slash command over Socket Mode and resolves with the app's ack (envelope_id and payload). */
  async sendSlashCommandOverSocket(fields: SlashCommandFields, timeoutMs = 5000): Promise<SocketAck> {
    const socket = [...this.sockets][0];
    if (socket === undefined) throw new Error('No Socket Mode connection');
    const envelopeId = randomUUID();
    const acked = new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no ack within the time limit')), timeoutMs);
      this.pendingAcks.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    socket.send(
      JSON.stringify({ envelope_id: envelopeId, type: 'slash_commands', accepts_response_payload: true, payload: slashCommandPayload(fields) }),
    );
    return acked;
  }

  /** Asks every Socket Mode client to reconnect, as Slack does before recycling a server. */
  requestReconnect(): void {
    for (const socket of this.sockets) socket.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested' }));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.sockets$.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onSocket(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.notify();
    });
    socket.on('message', (data) => {
      const ack = JSON.parse(String(data)) as SocketAck;
      this.pendingAcks.get(ack.envelope_id)?.(ack);
      this.pendingAcks.delete(ack.envelope_id);
      this.notify();
    });
    socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'AFAKE' }, debug_info: { host: 'fake' } }));
    this.notify();
  }

  private notify(): void {
    const waiting = this.waiters.splice(0);
    for (const check of waiting) check();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const path = new URL(request.url ?? '/', this.baseUrl).pathname;
    if (path.startsWith('/respond/')) {
      this.responseUrlPosts.push({ id: path.slice('/respond/'.length), body: JSON.parse(body) as Record<string, unknown> });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } else if (path.startsWith('/api/')) {
      const method = path.slice('/api/'.length);
      const params = parseParams(body, request.headers['content-type']);
      const token = request.headers.authorization?.replace(/^Bearer /, '');
      this.calls.push({ method, params, ...(token !== undefined ? { token } : {}) });
      this.answer(method, params, response);
    } else {
      response.writeHead(404).end();
    }
    this.notify();
  }

  private answer(method: string, params: Record<string, unknown>, response: ServerResponse): void {
    const rule = this.failures.find(
      (candidate) => candidate.method === method && candidate.remaining > 0 && (candidate.channel === undefined || candidate.channel === params.channel),
    );
    if (rule !== undefined) {
      rule.remaining -= 1;
      const { failure } = rule;
      if ('rateLimitedForSeconds' in failure) {
        response.writeHead(429, { 'retry-after': String(failure.rateLimitedForSeconds), 'content-type': 'application/json' });
        response.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      } else if ('httpStatus' in failure) {
        response.writeHead(failure.httpStatus, { 'content-type': 'text/plain' }).end('fake failure');
      } else {
        sendJson(response, { ok: false, error: failure.error });
      }
      return;
    }
    sendJson(response, this.succeed(method, params));
  }

  private succeed(method: string, params: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.test/', team: 'Fake', user: 'storywatch', team_id: 'T0FAKE', user_id: 'UBOT', bot_id: 'BBOT' };
      case 'apps.connections.open':
        return { ok: true, url: `${this.baseUrl.replace('http:', 'ws:')}/socket-mode` };
      case 'chat.postMessage': {
        const message: StoredMessage = {
          ts: this.nextTs(),
          channel: String(params.channel),
          ...(typeof params.text === 'string' ? { text: params.text } : {}),
          ...(Array.isArray(params.blocks) ? { blocks: params.blocks } : {}),
          ...(params.metadata !== undefined ? { metadata: params.metadata as StoredMessage['metadata'] } : {}),
        };
        this.messages.push(message);
        return { ok: true, channel: message.channel, ts: message.ts, message: { ...message, bot_id: 'BBOT' } };
      }
      case 'chat.update': {
        const stored = this.messages.find((message) => message.channel === params.channel && message.ts === params.ts);
        if (stored === undefined) return { ok: false, error: 'message_not_found' };
        if (typeof params.text === 'string') stored.text = params.text;
        if (Array.isArray(params.blocks)) stored.blocks = params.blocks;
        return { ok: true, channel: stored.channel, ts: stored.ts, text: stored.text };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(params.users)}` } };
      case 'conversations.history': {
        const withMetadata = params.include_all_metadata === true || params.include_all_metadata === 'true';
        const limit = Number(params.limit ?? 100);
        const history = this.messages
          .filter((message) => message.channel === params.channel)
          .reverse()
          .slice(0, limit)
          .map(({ metadata, ...message }) => ({ type: 'message', bot_id: 'BBOT', ...message, ...(withMetadata && metadata ? { metadata } : {}) }));
        return { ok: true, messages: history, has_more: false };
      }
      case 'users.info': {
        const user = String(params.user);
        return { ok: true, user: { id: user, is_admin: this.workspaceAdmins.has(user), is_owner: false } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `1700000000.${String(this.tsCounter).padStart(6, '0')}`;
  }
}

export interface SlashCommandFields {
  command: string;
  text?: string;
  user_id?: string;
  channel_id?: string;
  response_url: string;
}

function slashCommandPayload(fields: SlashCommandFields): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: 'T0FAKE',
    team_domain: 'fake',
    channel_id: fields.channel_id ?? 'C0STORY',
    channel_name: 'story',
    user_id: fields.user_id ?? 'U0REPORTER',
    user_name: 'reporter',
    command: fields.command,
    text: fields.text ?? '',
    api_app_id: 'AFAKE',
    is_enterprise_install: 'false',
    response_url: fields.response_url,
    trigger_id: `${Date.now()}.trigger`,
  };
}

export interface SignedPostOptions {
  /** Seconds since the epoch to sign with; now by default (older than 5 minutes is stale). */
  timestampSeconds?: number;
  /** Sign with this secret instead (a forged request). */
  signWith?: string;
}

/** POSTs a slash command to an HTTP-mode app the way Slack does: form-encoded, signed (v0 HMAC-SHA256). */
export async function postSignedSlashCommand(
  eventsUrl: string,
  signingSecret: string,
  fields: SlashCommandFields,
  options: SignedPostOptions = {},
): Promise<{ status: number; body: string; json?: Record<string, unknown> }> {
  const body = new URLSearchParams(slashCommandPayload(fields)).toString();
  const timestamp = String(options.timestampSeconds ?? Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', options.signWith ?? signingSecret)
    .update(`v0:${timestamp}:${body}`)
    .digest('hex');
  const response = await fetch(eventsUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': `v0=${signature}`,
    },
    body,
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('application/json') === true && text !== '';
  return { status: response.status, body: text, ...(isJson ? { json: JSON.parse(text) as Record<string, unknown> } : {}) };
}

function parseParams(body: string, contentType: string | undefined): Record<string, unknown> {
  if (body === '') return {};
  if (contentType?.includes('application/json') === true) return JSON.parse(body) as Record<string, unknown>;
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    params[key] = JSON_FIELDS.has(key) ? JSON.parse(value) : value;
  }
  return params;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
