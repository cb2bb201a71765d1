// Redis for replicas: several processes share it. Commands fail fast while Redis is away
// (no offline queue) and the client reconnects forever, so callers see errors, never "absent".
import KeyvRedis, { createClient, Keyv, type RedisClientType } from '@keyv/redis';
import type { Logger } from 'pino';
import type { Leases } from '../core/ports.js';
import { serializeForKeyv, type SortedIndexes, type StoreBackend } from './backend.js';

export interface RedisBackendOptions {
  url: string;
  logger?: Logger;
  /** How long createStore waits for a first connection before starting degraded. */
  connectTimeoutMs?: number;
  /** A command without an answer by then fails (a hung Redis must not hang polling). Default 5 s. */
  commandTimeoutMs?: number;
}

const RECONNECT_MAX_DELAY_MS = 2_000;

/** A command Redis did not answer in time (the connection looked fine). */
export class RedisNoAnswerError extends Error {
  constructor(timeoutMs: number) {
    super(`redis did not answer within ${timeoutMs} ms`);
    this.name = 'RedisNoAnswerError';
  }
}

/** Takes a free lease or renews our own (SET NX PX, or PEXPIRE when we already hold it). */
const ACQUIRE_LEASE = `
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if current then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** Compare-and-delete: only the holder releases. */
const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export async function createRedisBackend(options: RedisBackendOptions): Promise<StoreBackend> {
  const client = createClient({
    url: options.url,
    // Without this, commands issued while disconnected wait silently until Redis is back.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5_000,
      reconnectStrategy: (attempt: number) => Math.min(100 * 2 ** attempt, RECONNECT_MAX_DELAY_MS),
    },
  }) as RedisClientType;
  const listeners = new Set<(available: boolean, error?: Error) => void>();
  let available = false;
  let closed = false;
  const setAvailable = (value: boolean, error?: Error) => {
    // Our own close() ends the connection on purpose: nothing to report.
    if (value === available || (closed && !value)) return;
    available = value;
    if (value) options.logger?.info('redis is available');
    else options.logger?.error({ err: error }, 'redis is unavailable: polling and delivery pause until it is back');
    for (const listener of listeners) listener(value, error);
  };
  client.on('ready', () => setAvailable(true));
  client.on('error', (error: Error) => setAvailable(false, error));
  client.on('end', () => setAvailable(false));

  await connectWithin(client, options.connectTimeoutMs ?? 5_000, options.logger);

  // node-redis times out only commands it has not written yet; a Redis that stops answering
  // (hung host, dropped packets) would hang polling and lease renewal, so every call is timed.
  const commandTimeoutMs = options.commandTimeoutMs ?? 5_000;
  const answered = async <T>(work: () => Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RedisNoAnswerError(commandTimeoutMs)), commandTimeoutMs);
    });
    try {
      const result = await Promise.race([work(), timeout]);
      if (client.isReady) setAvailable(true);
      return result;
    } catch (error) {
      if (error instanceof RedisNoAnswerError) {
        setAvailable(false, error);
        probeUntilAnswered();
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };

  // The connection did not drop, so no 'ready' will say Redis is back: ask until it answers.
  let probe: NodeJS.Timeout | undefined;
  const probeUntilAnswered = () => {
    if (probe || closed) return;
    probe = setInterval(() => {
      answered(() => client.ping()).then(
        () => {
          clearInterval(probe);
          probe = undefined;
        },
        () => {},
      );
    }, commandTimeoutMs + 1_000);
    probe.unref();
  };

  const adapter = timedAdapter(new KeyvRedis(client, { throwOnErrors: true, throwOnConnectError: true }), answered);
  const keyv = new Keyv({ store: adapter, namespace: undefined, useKeyPrefix: false, throwOnErrors: true });
  // keyv re-emits adapter errors; the client's 'error' listener above already reports them.
  keyv.on('error', () => {});

  return {
    kind: 'redis',
    keyv,
    async insertIfAbsent(key, value) {
      const serialized = await serializeForKeyv(keyv, value);
      return (await answered(() => client.set(key, serialized, { NX: true }))) === 'OK';
    },
    indexes: createRedisIndexes(client, answered),
    leases: createRedisLeases(client, answered),
    async sweepExpired() {
      return 0; // Redis expires keys itself (PX on every TTL'd key).
    },
    isAvailable: () => available,
    onAvailabilityChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(probe);
      listeners.clear();
      if (client.isOpen) client.destroy();
    },
  };
}

/** Starts connecting; if Redis is not there yet, carries on degraded while the client keeps retrying. */
async function connectWithin(client: RedisClientType, timeoutMs: number, logger?: Logger): Promise<void> {
  const connecting = client.connect().then(
    () => true,
    () => false,
  );
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const connected = await Promise.race([connecting, timedOut]);
  clearTimeout(timer);
  if (!connected) logger?.error('redis is not reachable yet; starting degraded and retrying in the background');
}

type Answered = <T>(work: () => Promise<T>) => Promise<T>;

const KEYV_ADAPTER_CALLS = new Set(['get', 'getMany', 'set', 'setMany', 'delete', 'deleteMany', 'has', 'hasMany', 'clear']);

/** The keyv adapter with every data call timed; everything else passes through to the adapter itself. */
function timedAdapter(adapter: KeyvRedis<unknown>, answered: Answered): KeyvRedis<unknown> {
  return new Proxy(adapter, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (typeof property === 'string' && KEYV_ADAPTER_CALLS.has(property)) {
        return (...args: unknown[]) => answered(async () => method.apply(target, args));
      }
      return method.bind(target);
    },
  });
}

function createRedisIndexes(client: RedisClientType, answered: Answered): SortedIndexes {
  return {
    async add(name, entries) {
      if (entries.length === 0) return;
      const members = entries.map((entry) => ({ score: entry.score, value: entry.member }));
      await answered(() => client.zAdd(name, members));
    },
    async remove(name, members) {
      if (members.length === 0) return;
      await answered(() => client.zRem(name, members));
    },
    async range(name, range = {}) {
      const max = range.maxScore ?? '+inf';
      const limit = range.limit === undefined ? {} : { LIMIT: { offset: 0, count: range.limit } };
      if (range.descending) return await answered(() => client.zRange(name, max, '-inf', { BY: 'SCORE', REV: true, ...limit }));
      return await answered(() => client.zRange(name, '-inf', max, { BY: 'SCORE', ...limit }));
    },
  };
}

function createRedisLeases(client: RedisClientType, answered: Answered): Leases {
  return {
    async acquire(name, holder, ttlMs) {
      const result = await answered(() => client.eval(ACQUIRE_LEASE, { keys: [name], arguments: [holder, String(Math.ceil(ttlMs))] }));
      return result === 1;
    },
    async release(name, holder) {
      await answered(() => client.eval(RELEASE_LEASE, { keys: [name], arguments: [holder] }));
    },
  };
}
