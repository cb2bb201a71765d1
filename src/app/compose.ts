// The one composition root: config in, a running bot out. Every dependency is built here and
// passed down explicitly; tests replace the edges (adapters, clock, feed source) through overrides.
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { handleCommand } from '../core/commands/handle-command.js';
import type { CommandContext } from '../core/commands/command-context.js';
import { completeOption } from '../core/commands/complete.js';
import { createMatcher } from '../core/matching/match-item.js';
import type { CommandInvocation, Destination, Feed, FeedItem, Reply, Story } from '../core/model.js';
import type { ChatAdapter, Clock, FeedSource, Scheduler } from '../core/ports.js';
import { feedPausedMessage, renderUpdate } from '../core/render/update-message.js';
import { createDeliverer } from '../delivery/deliver.js';
import { createHttpFeedSource } from '../feeds/fetch-feed.js';
import { createFeedPoller } from '../feeds/poll-feeds.js';
import { createStore, type ManagedStore } from '../store/keyv-store.js';
import { createChatAdapters } from './chat-adapters.js';
import { createCronScheduler, createLeaseRunCoordinator } from './cron-scheduler.js';
import { createHealthState, type HealthSnapshot } from './health.js';
import { createLeadership } from './leadership.js';
import { processFeedItems, type ProcessResult } from './process-items.js';

export interface AppOverrides {
  adapters?: ChatAdapter[];
  clock?: Clock;
  feedSource?: FeedSource;
  scheduler?: Scheduler;
  store?: ManagedStore;
  logger: Logger;
}

export interface CycleReport {
  feedsPolled: number;
  feedsFailed: number;
  newItems: number;
  updates: number;
  delivered: number;
}

export interface App {
  readonly config: AppConfig;
  readonly store: ManagedStore;
  readonly adapters: ChatAdapter[];
  handleCommand(invocation: CommandInvocation): Promise<Reply>;
  /** Store availability, leadership and the last cycle, for logs and the health endpoint. */
  health(): HealthSnapshot;
  /** One poll of every due feed (or all feeds) and delivery of what it produced. */
  runCycle(options?: { allFeeds?: boolean }): Promise<CycleReport>;
  /** `--once`: one cycle over all feeds; beside replicas on Redis, only while holding the leader lease. */
  runOnce(): Promise<CycleReport>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const systemClock: Clock = { now: () => Date.now() };
const LEADER_LEASE = 'leader';

/** The channel a story posts to on a platform, if it has one there. */
function channelOn(story: Story, platform: ChatAdapter['platform']): string | undefined {
  if (platform === 'shell') return story.channels.shell ?? `#${story.slug}`;
  return story.channels[platform];
}

export async function createApp(config: AppConfig, overrides: AppOverrides): Promise<App> {
  const logger = overrides.logger;
  const clock = overrides.clock ?? systemClock;
  const store =
    overrides.store ??
    (await createStore({
      dataDir: config.dataDir,
      ...(config.redisUrl ? { redisUrl: config.redisUrl, namespace: config.redisNamespace } : {}),
      seenTtlMs: config.seenTtlDays * 24 * 60 * 60 * 1000,
      logger,
    }));
  const health = createHealthState(clock);
  const unwatchStore = health.watchStore(store);
  const stopLoggingStore = store.onAvailabilityChange((available, error) => {
    if (available) logger.info({ backend: store.backend }, 'store is back: polling and delivery resume');
    else logger.error({ backend: store.backend, err: error }, 'store unavailable: polling and delivery paused until it is back');
  });
  const adapters = overrides.adapters ?? createChatAdapters(config, logger);
  const byPlatform = Object.fromEntries(adapters.map((adapter) => [adapter.platform, adapter]));
  const storiesBySlug = new Map(config.stories.map((story) => [story.slug, story]));
  const matcher = createMatcher(config.stories);

  const channelsFor = (story: Story): Destination[] =>
    adapters.flatMap((adapter) => {
      const channel = channelOn(story, adapter.platform);
      return channel ? [{ platform: adapter.platform, channel }] : [];
    });

  let started = false;
  let cycleUpdates = 0;
  let cycleItems = 0;
  // Feeds are fetched in parallel, but their items are processed one feed at a time: grouping reads
  // the story's recent updates, so two outlets' reports of one statement must not be planned at once.
  let processing: Promise<unknown> = Promise.resolve();
  const onItems = (feed: Feed, items: FeedItem[], context: { firstPoll: boolean }): Promise<void> => {
    const work = processing.then(async () => {
      const result: ProcessResult = await processFeedItems(
        { stories: config.stories, matcher, store, channelsFor, clock, logger },
        feed,
        items,
        context,
      );
      cycleItems += items.length - result.seen;
      cycleUpdates += result.updates.length;
    });
    processing = work.catch(() => undefined);
    return work;
  };

  const onPaused = async (feed: Feed, reason: string): Promise<void> => {
    logger.warn({ feed: feed.id, reason }, 'feed paused after repeated failures');
    const stories = config.stories.filter((story) => feed.stories.length === 0 || feed.stories.includes(story.slug));
    let attempted = 0;
    let told = 0;
    for (const story of stories) {
      for (const destination of channelsFor(story)) {
        attempted += 1;
        try {
          await byPlatform[destination.platform]?.post(destination.channel!, feedPausedMessage(feed.title, feed.id, reason), {
            deliveryId: `paused|${feed.id}|${story.slug}|${destination.platform}`,
          });
          told += 1;
        } catch (error) {
          logger.error({ err: error, feed: feed.id }, 'could not tell the story channel that a feed is paused');
        }
      }
    }
    // Nobody heard: throw, and the poller tries again next cycle. (Once one channel has it, a retry
    // would repeat it there, so a partial notice stands.)
    if (attempted > 0 && told === 0) throw new Error(`no channel could be told that ${feed.id} is paused`);
  };

  const source =
    overrides.feedSource ??
    createHttpFeedSource({
      userAgent: config.http.userAgent,
      allowPrivateHosts: config.http.allowPrivateHosts,
      allowFiles: config.http.allowFiles,
    });
  const poller = createFeedPoller({ feeds: config.feeds, source, feedStates: store.feedStates, clock, onItems, onPaused, logger });
  const deliverer = createDeliverer({
    store,
    adapters: byPlatform,
    render: (update, delivery) => renderUpdate(update, storiesBySlug.get(update.story), delivery),
    clock,
    logger,
    // Once replicas elect a leader, one that lost the lead stops sending before the next one starts.
    // Before start() (one cycle run by hand: --once, replay-like tools) this process acts alone.
    mayDeliver: () => !started || leadership.isLeader(),
    onPermanentFailure: (delivery, error) =>
      logger.error({ delivery: delivery.id, destination: delivery.destination, err: error }, 'delivery failed for good'),
  });

  const commandContext: CommandContext = {
    stories: config.stories,
    feeds: config.feeds,
    updates: store.updates,
    subscriptions: store.subscriptions,
    feedStates: store.feedStates,
    resumeFeed: (feedId) => poller.resume(feedId),
    now: () => clock.now(),
  };
  const handlers = {
    onCommand: (invocation: CommandInvocation) => handleCommand(commandContext, invocation),
    onComplete: (command: string, option: string, partial: string, args: Record<string, string>) =>
      completeOption(config.stories, config.feeds.map((feed) => feed.id), command, option, partial, args),
  };

  async function deliverAll(): Promise<number> {
    let delivered = 0;
    // Deliveries made due by this cycle go out now; ones waiting on a backoff wait for a later tick.
    for (let round = 0; round < 50; round += 1) {
      const { sent, superseded } = await deliverer.deliverDue();
      delivered += sent;
      if (sent === 0 && superseded === 0) break;
    }
    return delivered;
  }

  async function runCycle(options: { allFeeds?: boolean } = {}): Promise<CycleReport> {
    cycleItems = 0;
    cycleUpdates = 0;
    const report = options.allFeeds ? await poller.pollAll() : await poller.pollDue();
    const delivered = await deliverAll();
    // Failing feeds are the publishers' problem, not this process's: shown, but never a 503.
    health.report('feeds', true, `${report.polled} polled, ${report.failed} failed in the last cycle`);
    return {
      feedsPolled: report.polled,
      feedsFailed: report.failed,
      newItems: cycleItems,
      updates: cycleUpdates,
      delivered,
    };
  }

  const holderId = config.instanceId ?? `${hostname()}:${process.pid}`;
  // On Redis, each scheduled slot is also claimed in the store, so during a takeover the old and the
  // new leader never both run the same poll. (Alone on SQLite there is nobody to coordinate with.)
  const scheduler =
    overrides.scheduler ??
    createCronScheduler({
      logger,
      ...(store.backend === 'redis' ? { runCoordinator: createLeaseRunCoordinator(store.leases, holderId) } : {}),
    });
  // Replicas on Redis elect one leader to poll, deliver and hold the Discord gateway; alone, we lead.
  const gatewayPlatforms = new Set(['discord']);
  const leadership = createLeadership({
    leases: store.leases,
    name: LEADER_LEASE,
    holderId,
    ttlMs: config.leaseTtlSeconds * 1000,
    renewEveryMs: (config.leaseTtlSeconds * 1000) / 3,
    logger,
    onElected: async () => {
      health.setLeader(true);
      // Every run re-checks the lease: a replica that lost it stops working at once.
      const leading = () => leadership.isLeader() && store.isAvailable();
      scheduler.every('poll-feeds', config.tickSeconds * 1000, async () => {
        if (leading()) await runCycle();
      });
      scheduler.every('deliver-outbox', 5_000, async () => {
        if (leading()) await deliverAll();
      });
      // The gateway connects in the background: a slow or failing Discord must not hold up the
      // lease renewal, the polling or the other platforms' deliveries.
      for (const adapter of adapters.filter((a) => gatewayPlatforms.has(a.platform))) {
        adapter.start(handlers).catch((error: unknown) => {
          logger.error({ err: error, platform: adapter.platform }, 'could not connect the chat gateway; posting still works, commands wait');
        });
      }
    },
    onDemoted: async () => {
      health.setLeader(false);
      await scheduler.stop();
      for (const adapter of adapters.filter((a) => gatewayPlatforms.has(a.platform))) await adapter.stop();
    },
  });

  return {
    config,
    store,
    adapters,
    handleCommand: handlers.onCommand,
    health: () => health.snapshot(),
    runCycle,
    async runOnce() {
      if (store.backend !== 'redis') return runCycle({ allFeeds: true });
      // Replicas may be running: deliver only as the leader, or the same post could go out twice.
      if (!(await store.leases.acquire(LEADER_LEASE, holderId, config.leaseTtlSeconds * 1000))) {
        throw new Error('another storywatch replica holds the leader lease on this Redis; it polls already');
      }
      try {
        return await runCycle({ allFeeds: true });
      } finally {
        await store.leases.release(LEADER_LEASE, holderId);
      }
    },
    async start() {
      started = true;
      for (const adapter of adapters.filter((a) => !gatewayPlatforms.has(a.platform))) await adapter.start(handlers);
      await leadership.start();
    },
    async stop() {
      await leadership.stop();
      await scheduler.stop();
      for (const adapter of adapters) await adapter.stop();
      unwatchStore();
      stopLoggingStore();
      await store.close();
    },
  };
}
