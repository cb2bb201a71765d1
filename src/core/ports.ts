// The seams between the pure core and the I/O at the edges.
import type {
  CommandInvocation,
  Delivery,
  Feed,
  FeedState,
  Message,
  MessageRef,
  Platform,
  Reply,
  Subscription,
  Update,
} from './model.js';

// ---- Chat

export type CommandHandler = (invocation: CommandInvocation) => Promise<Reply>;

export interface Choice {
  name: string;
  value: string;
}

/** Suggests values for a command option as the user types (Discord autocomplete). */
export type CompletionHandler = (command: string, option: string, partial: string, args: Record<string, string>) => Choice[];

export interface CommandHandlers {
  onCommand: CommandHandler;
  onComplete: CompletionHandler;
}

export interface SendOptions {
  /** Stable id of the outbox entry: the platform dedupes on it, or we look it up after a crash. */
  deliveryId: string;
}

export interface ChatAdapter {
  readonly platform: Platform;
  start(handlers: CommandHandlers): Promise<void>;
  stop(): Promise<void>;
  post(channel: string, message: Message, options: SendOptions): Promise<MessageRef>;
  edit(ref: MessageRef, message: Message): Promise<void>;
  dm(userId: string, message: Message, options: SendOptions): Promise<MessageRef>;
  /** Finds a message this bot already sent for a delivery id (after a crash between send and record). */
  findSent?(channel: string, deliveryId: string): Promise<MessageRef | undefined>;
}

/** Errors adapters throw so the deliverer can tell "try later" from "give up". */
export type ChatErrorCode = 'rate-limited' | 'unavailable' | 'forbidden' | 'not-found' | 'invalid' | 'unknown';

export class ChatError extends Error {
  constructor(
    readonly code: ChatErrorCode,
    message: string,
    /** For 'rate-limited': how long the platform asked us to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ChatError';
  }
}

// ---- Feeds

export interface Validators {
  etag?: string;
  lastModified?: string;
}

export type FetchResult =
  | { status: 'fresh'; body: string; contentType?: string; validators: Validators; finalUrl: string }
  | { status: 'not-modified'; validators: Validators }
  | { status: 'failed'; error: string; retryAfterMs?: number };

export interface FeedSource {
  fetch(feed: Feed, validators: Validators): Promise<FetchResult>;
}

// ---- Time

export interface Clock {
  now(): number;
}

export interface Scheduler {
  /** Runs task every intervalMs under a fixed name; a run never overlaps the previous one. */
  every(name: string, intervalMs: number, task: () => Promise<void>): void;
  stop(): Promise<void>;
}

// ---- Store: small role-named repositories

export interface SeenItems {
  /** Keys are `${feedId}\u0000${itemKey}`-style strings built by the caller. */
  has(key: string): Promise<boolean>;
  add(keys: string[]): Promise<void>;
}

export interface FeedStates {
  get(feedId: string): Promise<FeedState | undefined>;
  set(state: FeedState): Promise<void>;
  list(): Promise<FeedState[]>;
}

export interface Updates {
  get(id: string): Promise<Update | undefined>;
  put(update: Update): Promise<void>;
  /** Newest first. */
  listByStory(story: string, limit?: number): Promise<Update[]>;
}

export interface Subscriptions {
  add(subscription: Subscription): Promise<void>;
  remove(platform: Platform, userId: string, company: string, story?: string): Promise<boolean>;
  listByUser(platform: Platform, userId: string): Promise<Subscription[]>;
  /** Subscriptions to a company for a story (including those for any story). */
  listByCompany(company: string, story: string): Promise<Subscription[]>;
}

export interface Outbox {
  /** Writes entries that do not exist yet (same id = same delivery); returns those added. */
  enqueue(entries: Delivery[]): Promise<Delivery[]>;
  get(id: string): Promise<Delivery | undefined>;
  /** Pending entries whose nextAttemptAt <= now, oldest first. */
  due(now: number, limit: number): Promise<Delivery[]>;
  put(entry: Delivery): Promise<void>;
}

export interface Leases {
  /** Takes or renews the lease for holder; false when someone else holds it. */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Releases only if holder still holds it. */
  release(name: string, holder: string): Promise<void>;
}

export interface Store {
  seenItems: SeenItems;
  feedStates: FeedStates;
  updates: Updates;
  subscriptions: Subscriptions;
  outbox: Outbox;
  leases: Leases;
  close(): Promise<void>;
}
