import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  failureSpanMs,
  initialFeedState,
  isDue,
  isFirstPoll,
  pollIntervalMs,
  recordFailure,
  recordSuccess,
  resumeState,
  withJitter,
} from '../../src/feeds/feed-health.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const noJitter = () => 0.5;

describe('feed health', () => {
  it('polls every 5 minutes by default and never more than once a minute', () => {
    expect(pollIntervalMs({ intervalMinutes: 0 })).toBe(5 * MINUTE);
    expect(pollIntervalMs({ intervalMinutes: 0.2 })).toBe(MINUTE);
    expect(pollIntervalMs({ intervalMinutes: 15 })).toBe(15 * MINUTE);
  });

  it('spreads poll times by at most 10% either way', () => {
    expect(withJitter(10 * MINUTE, () => 0)).toBe(9 * MINUTE);
    expect(withJitter(10 * MINUTE, () => 0.5)).toBe(10 * MINUTE);
    expect(withJitter(10 * MINUTE, () => 0.999999)).toBeLessThanOrEqual(11 * MINUTE);
  });

  it('doubles the wait after each failure, up to six hours', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 5 * MINUTE))).toEqual([5, 10, 20, 40].map((m) => m * MINUTE));
    expect(backoffMs(12, 5 * MINUTE)).toBe(6 * HOUR);
    expect(backoffMs(1000, 5 * MINUTE)).toBe(6 * HOUR);
  });

  it('records a success with validators and the next poll time', () => {
    const state = recordSuccess({ ...initialFeedState('f'), consecutiveFailures: 3, lastError: 'x', status: 'failing' }, { etag: '"e"' }, {
      now: 1000,
      intervalMs: 5 * MINUTE,
      random: noJitter,
    });
    expect(state).toEqual({ feedId: 'f', status: 'ok', etag: '"e"', lastAttemptAt: 1000, lastSuccessAt: 1000, consecutiveFailures: 0, nextPollAt: 1000 + 5 * MINUTE });
    expect(isDue(state, 1000)).toBe(false);
    expect(isDue(state, 1000 + 5 * MINUTE)).toBe(true);
  });

  it('keeps validators and backs off on failure, obeying a longer Retry-After', () => {
    const ok = { ...initialFeedState('f'), status: 'ok' as const, etag: '"e"', lastSuccessAt: 0 };
    const first = recordFailure(ok, 'HTTP 500', { now: 0, intervalMs: 5 * MINUTE, random: noJitter });
    expect(first.state).toMatchObject({ status: 'failing', etag: '"e"', consecutiveFailures: 1, lastError: 'HTTP 500', nextPollAt: 5 * MINUTE });
    const limited = recordFailure(first.state, 'HTTP 429', { now: 0, intervalMs: 5 * MINUTE, random: noJitter, retryAfterMs: HOUR });
    expect(limited.state.nextPollAt).toBe(HOUR);
  });

  it('pauses a feed once its failures span about a day, and says so once', () => {
    let state = initialFeedState('f');
    let pausedAt = 0;
    for (let n = 1; n <= 20 && state.status !== 'paused'; n += 1) {
      const outcome = recordFailure(state, 'boom', { now: 0, intervalMs: 5 * MINUTE, random: noJitter });
      state = outcome.state;
      if (outcome.pausedNow) pausedAt = n;
    }
    expect(state.status).toBe('paused');
    expect(pausedAt).toBe(10);
    expect(failureSpanMs(9, 5 * MINUTE)).toBeLessThan(24 * HOUR);
    expect(failureSpanMs(10, 5 * MINUTE)).toBeGreaterThanOrEqual(24 * HOUR);
    expect(isDue(state, Number.MAX_SAFE_INTEGER)).toBe(false);
    expect(recordFailure(state, 'again', { now: 0, intervalMs: 5 * MINUTE, random: noJitter }).pausedNow).toBe(false);
  });

  it('resumes a paused feed: due now, failures forgotten, validators kept', () => {
    const paused = { feedId: 'f', status: 'paused' as const, consecutiveFailures: 10, etag: '"e"', lastError: 'x', pauseNotified: true, lastSuccessAt: 5 };
    expect(resumeState(paused, 777)).toEqual({ feedId: 'f', status: 'ok', consecutiveFailures: 0, etag: '"e"', lastSuccessAt: 5, nextPollAt: 777 });
    expect(resumeState({ ...paused, lastSuccessAt: undefined }, 777).status).toBe('new');
  });

  it('calls a poll the first until the feed has once been read successfully', () => {
    expect(isFirstPoll(undefined)).toBe(true);
    expect(isFirstPoll({ ...initialFeedState('f'), status: 'failing', consecutiveFailures: 2 })).toBe(true);
    expect(isFirstPoll({ ...initialFeedState('f'), lastSuccessAt: 1 })).toBe(false);
  });
});
