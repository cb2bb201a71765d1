// The feed poller: on each tick, fetches the feeds that are due (within concurrency caps, never one
// feed twice at once), parses them, hands the items over, and only then records the feed's new
// state, so a crash in between re-polls and loses nothing.
import type { Logger } from 'pino';
import type { Feed, FeedItem, FeedState } from '../core/model.js';
import type { Clock, FeedSource, FeedStates, Validators } from '../core/ports.js';
import {
  DEFAULT_HEALTH_POLICY,
  initialFeedState,
  isDue,
  isFirstPoll,
  markPauseNotified,
  pauseReason,
  pollIntervalMs,
  recordFailure,
  recordSuccess,
  resumeState,
  type HealthPolicy,
} from './feed-health.js';
import { parseFeed } from './parse-feed.js';
import { createTaskLimiter } from './task-limiter.js';

export interface PollContext {
  /** The feed's first successful poll: record what is there, do not post it. */
  firstPoll: boolean;
}

export interface FeedPollerDeps {
  /** The feeds to watch; a function is read on every cycle (feeds added or removed at runtime). */
  feeds: readonly Feed[] | (() => readonly Feed[]);
  source: FeedSource;
  feedStates: FeedStates;
  clock: Clock;
  parse?: typeof parseFeed;
  onItems(feed: Feed, items: FeedItem[], ctx: PollContext): Promise<void>;
  /** Called once when a feed is paused after about a day of failures. */
  onPaused(feed: Feed, reason: string): Promise<void>;
  logger: Logger;
  /** Fetches at once overall. Default 16. */
  concurrency?: number;
  /** Fetches at once per host. Default 2. */
  perHostConcurrency?: number;
  /** [0, 1), for jitter. Default Math.random. */
  random?: () => number;
  policy?: HealthPolicy;
}

export type FeedPollOutcome = 'fresh' | 'not-modified' | 'failed' | 'paused';

export interface PollCycleReport {
  startedAt: number;
  finishedAt: number;
  /** Feeds polled in this cycle. */
  polled: number;
  fresh: number;
  notModified: number;
  failed: number;
  /** Feeds paused by this cycle. */
  paused: number;
  /** Due feeds skipped because a previous cycle was still polling them. */
  skippedInFlight: number;
  /** Items handed to onItems. */
  items: number;
  failures: { feedId: string; error: string }[];
}

export interface FeedPoller {
  /** Polls every feed whose next poll time has come. */
  pollDue(): Promise<PollCycleReport>;
  /** Polls every feed that is not paused, due or not. */
  pollAll(): Promise<PollCycleReport>;
  /** Un-pauses a feed and makes it due now; false if it was not paused. */
  resume(feedId: string): Promise<boolean>;
}

function hostKey(feed: Feed): string {
  try {
    const url = new URL(feed.url);
    return url.protocol === 'file:' ? 'file:' : url.host.toLowerCase();
  } catch {
    return 'file:';
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}

export function createFeedPoller(deps: FeedPollerDeps): FeedPoller {
  const parse = deps.parse ?? parseFeed;
  const random = deps.random ?? Math.random;
  const policy = deps.policy ?? DEFAULT_HEALTH_POLICY;
  const limiter = createTaskLimiter({ concurrency: deps.concurrency ?? 16, perKey: deps.perHostConcurrency ?? 2 });
  const inFlight = new Set<string>();
  const listFeeds = (): readonly Feed[] => (typeof deps.feeds === 'function' ? deps.feeds() : deps.feeds);

  async function notifyPaused(feed: Feed, state: FeedState): Promise<FeedState> {
    const reason = pauseReason(feed, state);
    deps.logger.warn({ feedId: feed.id, reason }, 'feed paused');
    try {
      await deps.onPaused(feed, reason);
      return markPauseNotified(state);
    } catch (error) {
      // Left unnotified: the next cycle tries again, so the channel is told once it can be.
      deps.logger.error({ feedId: feed.id, err: messageOf(error) }, 'could not report a paused feed');
      return state;
    }
  }

  async function pollOne(feed: Feed, previous: FeedState | undefined, report: PollCycleReport): Promise<void> {
    const state = previous ?? initialFeedState(feed.id);
    const intervalMs = pollIntervalMs(feed, policy);
    const validators: Validators = {};
    if (state.etag) validators.etag = state.etag;
    if (state.lastModified) validators.lastModified = state.lastModified;

    let failure: { error: string; retryAfterMs?: number } | undefined;
    let nextValidators: Validators | undefined;
    try {
      const result = await deps.source.fetch(feed, validators);
      if (result.status === 'failed') {
        failure = result.retryAfterMs === undefined ? { error: result.error } : { error: result.error, retryAfterMs: result.retryAfterMs };
      } else if (result.status === 'not-modified') {
        report.notModified += 1;
        nextValidators = result.validators;
      } else {
        const parsed = await parse(result.body, feed, { contentType: result.contentType, baseUrl: result.finalUrl });
        for (const warning of parsed.warnings) deps.logger.debug({ feedId: feed.id, warning }, 'feed warning');
        try {
          await deps.onItems(feed, parsed.items, { firstPoll: isFirstPoll(previous) });
        } catch (error) {
          throw new Error(`handling items failed: ${messageOf(error)}`, { cause: error });
        }
        report.fresh += 1;
        report.items += parsed.items.length;
        nextValidators = result.validators;
      }
    } catch (error) {
      failure = { error: messageOf(error) };
    }

    const timing = { now: deps.clock.now(), intervalMs, random, policy };
    if (!failure && nextValidators) {
      await deps.feedStates.set(recordSuccess(state, nextValidators, timing));
      return;
    }
    const failed = failure ?? { error: 'unknown failure' };
    report.failed += 1;
    report.failures.push({ feedId: feed.id, error: failed.error });
    deps.logger.warn({ feedId: feed.id, url: feed.url, err: failed.error }, 'feed poll failed');
    const outcome = recordFailure(state, failed.error, { ...timing, retryAfterMs: failed.retryAfterMs });
    let next = outcome.state;
    if (outcome.pausedNow) {
      report.paused += 1;
      next = await notifyPaused(feed, next);
    }
    await deps.feedStates.set(next);
  }

  async function cycle(select: (state: FeedState | undefined, now: number) => boolean): Promise<PollCycleReport> {
    const startedAt = deps.clock.now();
    const report: PollCycleReport = {
      startedAt,
      finishedAt: startedAt,
      polled: 0,
      fresh: 0,
      notModified: 0,
      failed: 0,
      paused: 0,
      skippedInFlight: 0,
      items: 0,
      failures: [],
    };
    const states = new Map((await deps.feedStates.list()).map((state) => [state.feedId, state]));
    const work: Promise<void>[] = [];
    for (const feed of listFeeds()) {
      const state = states.get(feed.id);
      if (state?.status === 'paused' && !state.pauseNotified) {
        work.push(notifyPaused(feed, state).then((next) => (next.pauseNotified ? deps.feedStates.set(next) : undefined)));
        continue;
      }
      if (!select(state, startedAt)) continue;
      if (inFlight.has(feed.id)) {
        report.skippedInFlight += 1;
        continue;
      }
      inFlight.add(feed.id);
      report.polled += 1;
      work.push(
        limiter
          .run(hostKey(feed), () => pollOne(feed, state, report))
          .catch((error: unknown) => {
            // Only the state store can fail here; the feed is polled again next cycle.
            report.failed += 1;
            report.failures.push({ feedId: feed.id, error: `could not record the poll: ${messageOf(error)}` });
            deps.logger.error({ feedId: feed.id, err: messageOf(error) }, 'could not record a feed poll');
          })
          .finally(() => inFlight.delete(feed.id)),
      );
    }
    await Promise.all(work);
    report.finishedAt = deps.clock.now();
    deps.logger.info(
      { polled: report.polled, fresh: report.fresh, notModified: report.notModified, failed: report.failed, items: report.items },
      'feed poll cycle done',
    );
    return report;
  }

  return {
    pollDue: () => cycle((state, now) => isDue(state, now)),
    pollAll: () => cycle((state) => state?.status !== 'paused'),
    async resume(feedId) {
      const state = await deps.feedStates.get(feedId);
      if (!state || state.status !== 'paused') return false;
      await deps.feedStates.set(resumeState(state, deps.clock.now()));
      deps.logger.info({ feedId }, 'feed resumed');
      return true;
    },
  };
}
