// How a feed's state moves on each poll, as pure functions over FeedState: when to poll next,
// exponential backoff after failures, pausing after about a day of them, and resuming.
import type { Feed, FeedState } from '../core/model.js';
import type { Validators } from '../core/ports.js';

export interface HealthPolicy {
  /** Used when a feed gives no interval. */
  defaultIntervalMinutes: number;
  /** Shortest interval a feed may ask for. */
  minIntervalMinutes: number;
  /** Spread of the next poll time, as a fraction of the interval either way, so feeds do not poll in lockstep. */
  jitterRatio: number;
  /** Longest wait between retries of a failing feed. */
  maxBackoffMs: number;
  /** Longest wait a server's Retry-After can impose. */
  maxRetryAfterMs: number;
  /** A feed is paused once its consecutive failures have spanned about this long. */
  pauseAfterMs: number;
}

export const DEFAULT_HEALTH_POLICY: HealthPolicy = {
  defaultIntervalMinutes: 5,
  minIntervalMinutes: 1,
  jitterRatio: 0.1,
  maxBackoffMs: 6 * 60 * 60 * 1000,
  maxRetryAfterMs: 24 * 60 * 60 * 1000,
  pauseAfterMs: 24 * 60 * 60 * 1000,
};

export function initialFeedState(feedId: string): FeedState {
  return { feedId, status: 'new', consecutiveFailures: 0 };
}

export function pollIntervalMs(feed: Pick<Feed, 'intervalMinutes'>, policy: HealthPolicy = DEFAULT_HEALTH_POLICY): number {
  const minutes = Number.isFinite(feed.intervalMinutes) && feed.intervalMinutes > 0 ? feed.intervalMinutes : policy.defaultIntervalMinutes;
  return Math.max(policy.minIntervalMinutes, minutes) * 60_000;
}

/** Interval spread by ±jitterRatio; `random` returns [0, 1). */
export function withJitter(intervalMs: number, random: () => number, policy: HealthPolicy = DEFAULT_HEALTH_POLICY): number {
  const spread = (random() * 2 - 1) * policy.jitterRatio;
  return Math.round(intervalMs * (1 + spread));
}

/** Wait before retrying after the n-th consecutive failure: the interval, doubled each time, capped. */
export function backoffMs(consecutiveFailures: number, intervalMs: number, policy: HealthPolicy = DEFAULT_HEALTH_POLICY): number {
  const exponent = Math.min(Math.max(consecutiveFailures - 1, 0), 30);
  return Math.min(policy.maxBackoffMs, intervalMs * 2 ** exponent);
}

/** How long n consecutive failures have spanned, following the backoff schedule. */
export function failureSpanMs(consecutiveFailures: number, intervalMs: number, policy: HealthPolicy = DEFAULT_HEALTH_POLICY): number {
  let span = 0;
  for (let n = 1; n <= consecutiveFailures; n += 1) span += backoffMs(n, intervalMs, policy);
  return span;
}

export function isDue(state: FeedState | undefined, now: number): boolean {
  if (!state) return true;
  if (state.status === 'paused') return false;
  return (state.nextPollAt ?? 0) <= now;
}

/** The first successful poll of a feed records its items without posting them. */
export function isFirstPoll(state: FeedState | undefined): boolean {
  return state?.lastSuccessAt === undefined;
}

export interface PollTiming {
  now: number;
  intervalMs: number;
  random: () => number;
  policy?: HealthPolicy;
}

export function recordSuccess(state: FeedState, validators: Validators, timing: PollTiming): FeedState {
  const policy = timing.policy ?? DEFAULT_HEALTH_POLICY;
  const next: FeedState = {
    feedId: state.feedId,
    status: 'ok',
    lastAttemptAt: timing.now,
    lastSuccessAt: timing.now,
    consecutiveFailures: 0,
    nextPollAt: timing.now + withJitter(timing.intervalMs, timing.random, policy),
  };
  if (validators.etag) next.etag = validators.etag;
  if (validators.lastModified) next.lastModified = validators.lastModified;
  return next;
}

export interface FailureOutcome {
  state: FeedState;
  /** True when this failure paused the feed (it was not paused before). */
  pausedNow: boolean;
}

export function recordFailure(state: FeedState, error: string, timing: PollTiming & { retryAfterMs?: number }): FailureOutcome {
  const policy = timing.policy ?? DEFAULT_HEALTH_POLICY;
  const consecutiveFailures = state.consecutiveFailures + 1;
  const wait = Math.max(
    backoffMs(consecutiveFailures, timing.intervalMs, policy),
    Math.min(timing.retryAfterMs ?? 0, policy.maxRetryAfterMs),
  );
  const next: FeedState = {
    ...state,
    status: 'failing',
    lastAttemptAt: timing.now,
    lastError: error,
    consecutiveFailures,
    nextPollAt: timing.now + withJitter(wait, timing.random, policy),
  };
  if (failureSpanMs(consecutiveFailures, timing.intervalMs, policy) >= policy.pauseAfterMs) {
    delete next.nextPollAt;
    return { state: { ...next, status: 'paused', pauseNotified: false }, pausedNow: state.status !== 'paused' };
  }
  return { state: next, pausedNow: false };
}

/** The one-line reason given to the channel when a feed is paused. */
export function pauseReason(feed: Pick<Feed, 'title' | 'url'>, state: FeedState): string {
  return `paused "${feed.title}" after ${state.consecutiveFailures} failed polls in a row; last error: ${state.lastError ?? 'unknown'}`;
}

export function markPauseNotified(state: FeedState): FeedState {
  return { ...state, pauseNotified: true };
}

/** Back to polling at once, with a clean failure count; validators are kept. */
export function resumeState(state: FeedState, now: number): FeedState {
  const next: FeedState = { ...state, status: state.lastSuccessAt === undefined ? 'new' : 'ok', consecutiveFailures: 0, nextPollAt: now };
  delete next.pauseNotified;
  delete next.lastError;
  return next;
}
