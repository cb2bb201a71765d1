import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/app/logger.js';
import type { Feed, FeedItem } from '../../src/core/model.js';
import type { FeedSource, FetchResult, Validators } from '../../src/core/ports.js';
import { createHttpFeedSource } from '../../src/feeds/fetch-feed.js';
import { createFeedPoller, type FeedPollerDeps, type PollCycleReport } from '../../src/feeds/poll-feeds.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { rssDocument, startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { ManualScheduler } from '../fakes/manual-scheduler.js';
import { FakeFeedStates } from '../fakes/memory-feed-states.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function feed(id: string, url = `http://${id}.example.test/feed`, intervalMinutes = 5): Feed {
  return { id, url, title: `Feed ${id}`, kind: 'outlet', stories: [], intervalMinutes };
}

const RSS = rssDocument('News', [
  { title: 'First', guid: 'a' },
  { title: 'Second', guid: 'b' },
]);

/** A FeedSource answering from a script, recording calls; `gate` holds a fetch until released. */
class FakeFeedSource implements FeedSource {
  readonly calls: { feedId: string; validators: Validators }[] = [];
  answers = new Map<string, FetchResult>();
  gate: Promise<void> | undefined;
  running = 0;
  maxRunning = 0;

  async fetch(target: Feed, validators: Validators): Promise<FetchResult> {
    this.calls.push({ feedId: target.id, validators });
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      await this.gate;
      return this.answers.get(target.id) ?? { status: 'fresh', body: RSS, validators: { etag: `"${target.id}-1"` }, finalUrl: target.url };
    } finally {
      this.running -= 1;
    }
  }
}

interface Harness {
  deps: FeedPollerDeps;
  source: FakeFeedSource;
  states: FakeFeedStates;
  clock: FakeClock;
  delivered: { feedId: string; keys: string[]; firstPoll: boolean; savedBefore: boolean }[];
  paused: { feedId: string; reason: string }[];
}

function harness(feeds: Feed[], overrides: Partial<FeedPollerDeps> = {}): Harness {
  const source = new FakeFeedSource();
  const states = new FakeFeedStates();
  const clock = new FakeClock();
  const delivered: Harness['delivered'] = [];
  const paused: Harness['paused'] = [];
  const deps: FeedPollerDeps = {
    feeds,
    source,
    feedStates: states,
    clock,
    logger: silentLogger(),
    random: () => 0.5,
    onItems: async (target, items: FeedItem[], ctx) => {
      const writesForFeed = states.writes.filter((state) => state.feedId === target.id && state.status === 'ok');
      delivered.push({ feedId: target.id, keys: items.map((item) => item.key), firstPoll: ctx.firstPoll, savedBefore: writesForFeed.length > 0 });
    },
    onPaused: async (target, reason) => {
      paused.push({ feedId: target.id, reason });
    },
    ...overrides,
  };
  return { deps, source, states, clock, delivered, paused };
}

describe('createFeedPoller', () => {
  it('records the first poll of a new feed as such, and saves its state only after the items were handled', async () => {
    const h = harness([feed('a')]);
    const poller = createFeedPoller(h.deps);
    const report = await poller.pollDue();
    expect(report).toMatchObject({ polled: 1, fresh: 1, failed: 0, items: 2 });
    expect(h.delivered).toEqual([{ feedId: 'a', keys: ['a', 'b'], firstPoll: true, savedBefore: false }]);
    expect(await h.states.get('a')).toMatchObject({ status: 'ok', etag: '"a-1"', nextPollAt: h.clock.now() + 5 * MINUTE });
  });

  it('polls again only when due, sending the saved validators, and no longer as a first poll', async () => {
    const h = harness([feed('a')]);
    const poller = createFeedPoller(h.deps);
    await poller.pollDue();
    h.clock.advance(4 * MINUTE);
    expect((await poller.pollDue()).polled).toBe(0);
    h.clock.advance(MINUTE);
    await poller.pollDue();
    expect(h.source.calls.map((call) => call.validators)).toEqual([{}, { etag: '"a-1"' }]);
    expect(h.delivered.map((d) => d.firstPoll)).toEqual([true, false]);
  });

  it('polls every feed on pollAll, due or not', async () => {
    const h = harness([feed('a'), feed('b')]);
    const poller = createFeedPoller(h.deps);
    await poller.pollDue();
    expect((await poller.pollAll()).polled).toBe(2);
  });

  it('treats a 304 as success without handing over items', async () => {
    const h = harness([feed('a')]);
    const poller = createFeedPoller(h.deps);
    await poller.pollDue();
    h.source.answers.set('a', { status: 'not-modified', validators: { etag: '"a-1"' } });
    h.clock.advance(5 * MINUTE);
    const report = await poller.pollDue();
    expect(report).toMatchObject({ notModified: 1, fresh: 0, items: 0 });
    expect(h.delivered).toHaveLength(1);
  });

  it('treats a failure to handle the items as a failed poll and keeps the old validators', async () => {
    const h = harness([feed('a')]);
    let attempts = 0;
    h.deps.onItems = async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('store down');
    };
    const poller = createFeedPoller(h.deps);
    const report = await poller.pollDue();
    expect(report.failures).toEqual([{ feedId: 'a', error: 'handling items failed: store down' }]);
    const state = await h.states.get('a');
    expect(state).toMatchObject({ status: 'failing', consecutiveFailures: 1 });
    expect(state?.etag).toBeUndefined();
    h.clock.advance(5 * MINUTE);
    await poller.pollDue();
    expect(h.source.calls[1]?.validators).toEqual({});
    expect(await h.states.get('a')).toMatchObject({ status: 'ok', etag: '"a-1"' });
  });

  it('turns a parse error into a failed poll with its reason', async () => {
    const h = harness([feed('a')]);
    h.source.answers.set('a', { status: 'fresh', body: '<html><body>Hello</body></html>', contentType: 'text/html', validators: {}, finalUrl: 'x' });
    const report = await createFeedPoller(h.deps).pollDue();
    expect(report.failures).toEqual([{ feedId: 'a', error: 'not a feed: got an HTML page' }]);
  });

  it('never runs more than the per-host and overall caps at once', async () => {
    const sameHost = Array.from({ length: 6 }, (_, i) => feed(`s${i}`, `http://one.example.test/${i}`));
    const manyHosts = Array.from({ length: 10 }, (_, i) => feed(`m${i}`));
    const h = harness([...sameHost, ...manyHosts], { concurrency: 4, perHostConcurrency: 2 });
    let release = () => undefined as void;
    h.source.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const cycle = createFeedPoller(h.deps).pollDue();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(h.source.running).toBe(4);
    expect(h.source.calls.filter((call) => call.feedId.startsWith('s'))).toHaveLength(2);
    release();
    await cycle;
    expect(h.source.maxRunning).toBe(4);
    expect(h.source.calls).toHaveLength(16);
  });

  it('never fetches a feed twice at once', async () => {
    const h = harness([feed('a')]);
    let release = () => undefined as void;
    h.source.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const poller = createFeedPoller(h.deps);
    const first = poller.pollDue();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = await poller.pollAll();
    expect(second).toMatchObject({ polled: 0, skippedInFlight: 1 });
    release();
    await first;
    expect(h.source.calls).toHaveLength(1);
  });

  it('backs off a failing feed, obeys Retry-After, and pauses it after about a day with one message', async () => {
    const h = harness([feed('a'), feed('b')]);
    h.source.answers.set('a', { status: 'failed', error: 'HTTP 500 Internal Server Error' });
    const poller = createFeedPoller(h.deps);
    const waits: number[] = [];
    for (let cycle = 0; cycle < 40; cycle += 1) {
      await poller.pollDue();
      const state = await h.states.get('a');
      if (state?.status === 'paused') break;
      waits.push((state?.nextPollAt ?? 0) - h.clock.now());
      h.clock.set(state?.nextPollAt ?? 0);
    }
    expect(waits.slice(0, 4)).toEqual([5, 10, 20, 40].map((m) => m * MINUTE));
    expect(Math.max(...waits)).toBe(6 * HOUR);
    expect(h.paused).toHaveLength(1);
    expect(h.paused[0]?.reason).toMatch(/^paused "Feed a" after 10 failed polls in a row; last error: HTTP 500/);
    h.clock.advance(7 * 24 * HOUR);
    await poller.pollDue();
    await poller.pollAll();
    expect(h.paused).toHaveLength(1);
    expect(h.source.calls.filter((call) => call.feedId === 'a')).toHaveLength(10);
    expect(await h.states.get('b')).toMatchObject({ status: 'ok' });
  });

  it('waits as long as a 429 asks', async () => {
    const h = harness([feed('a')]);
    h.source.answers.set('a', { status: 'failed', error: 'HTTP 429 Too Many Requests', retryAfterMs: 3 * HOUR });
    await createFeedPoller(h.deps).pollDue();
    expect((await h.states.get('a'))?.nextPollAt).toBe(h.clock.now() + 3 * HOUR);
  });

  it('tells the channel about a pause on a later cycle when the first attempt fails, and only once', async () => {
    const h = harness([feed('a')]);
    h.source.answers.set('a', { status: 'failed', error: 'gone' });
    let tries = 0;
    h.deps.onPaused = async (target, reason) => {
      tries += 1;
      if (tries === 1) throw new Error('chat down');
      h.paused.push({ feedId: target.id, reason });
    };
    h.deps.policy = { defaultIntervalMinutes: 5, minIntervalMinutes: 1, jitterRatio: 0, maxBackoffMs: HOUR, maxRetryAfterMs: HOUR, pauseAfterMs: 1 };
    const poller = createFeedPoller(h.deps);
    await poller.pollDue();
    expect(await h.states.get('a')).toMatchObject({ status: 'paused', pauseNotified: false });
    await poller.pollDue();
    await poller.pollDue();
    expect(tries).toBe(2);
    expect(h.paused).toHaveLength(1);
    expect(await h.states.get('a')).toMatchObject({ status: 'paused', pauseNotified: true });
  });

  it('resumes a paused feed and polls it on the next cycle', async () => {
    const h = harness([feed('a')]);
    await h.states.set({ feedId: 'a', status: 'paused', consecutiveFailures: 12, pauseNotified: true, lastError: 'x' });
    const poller = createFeedPoller(h.deps);
    expect((await poller.pollDue()).polled).toBe(0);
    expect(await poller.resume('a')).toBe(true);
    expect(await poller.resume('a')).toBe(false);
    expect(await poller.resume('unknown')).toBe(false);
    expect((await poller.pollDue()).fresh).toBe(1);
    expect(h.delivered[0]?.firstPoll).toBe(true);
  });

  it('reads the feed list on every cycle when given a function', async () => {
    const feeds = [feed('a')];
    const h = harness([], { feeds: () => feeds });
    const poller = createFeedPoller(h.deps);
    await poller.pollDue();
    feeds.push(feed('b'));
    expect((await poller.pollDue()).polled).toBe(1);
  });
});

describe('a poller driven by a scheduler tick over loopback', () => {
  it('fetches new feeds, then asks with their validators and takes 304 as nothing new', async () => {
    const server = await startFeedServer({
      '/a': { body: RSS, etag: '"a1"' },
      '/b': { body: RSS, lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT' },
    });
    try {
      const h = harness([feed('a', server.url('/a')), feed('b', server.url('/b'))]);
      h.deps.source = createHttpFeedSource({ userAgent: 'storywatch/test (+mailto:desk@example.org)', allowPrivateHosts: ['127.0.0.1'] });
      const scheduler = new ManualScheduler();
      const reports: PollCycleReport[] = [];
      const poller = createFeedPoller(h.deps);
      scheduler.every('poll-feeds', 30_000, async () => {
        reports.push(await poller.pollDue());
      });
      await scheduler.tick();
      h.clock.advance(5 * MINUTE);
      await scheduler.tick();
      expect(reports.map((r) => [r.fresh, r.notModified])).toEqual([
        [2, 0],
        [0, 2],
      ]);
      expect(h.delivered.map((d) => [d.feedId, d.firstPoll])).toEqual([
        ['a', true],
        ['b', true],
      ]);
      const second = server.requests.slice(2);
      expect(second.find((r) => r.path === '/a')?.headers['if-none-match']).toBe('"a1"');
      expect(second.find((r) => r.path === '/b')?.headers['if-modified-since']).toBe('Mon, 01 Jan 2024 00:00:00 GMT');
    } finally {
      await server.close();
    }
  });
});

describe('a poll cycle over loopback with hostile feeds', () => {
  let server: FeedServer;
  let private2: FeedServer;
  let private6: FeedServer;

  beforeAll(async () => {
    private2 = await startFeedServer({ '/secret': { body: RSS } }, { host: '127.0.0.2' });
    private6 = await startFeedServer({ '/secret': { body: RSS } }, { host: '::1' });
    const levels = Array.from({ length: 12 }, (_, i) => `<!ENTITY e${i + 1} "${`&e${i};`.repeat(10)}">`).join('');
    server = await startFeedServer({
      '/good': { body: RSS, etag: '"g"' },
      '/bomb': { body: `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e0 "boom">${levels}]><rss version="2.0"><channel><item><title>&e12;</title></item></channel></rss>` },
      '/html': { body: '<!doctype html><html><body>Welcome</body></html>', headers: { 'content-type': 'text/html' } },
      '/loop': { status: 302, headers: { location: '/loop' } },
      '/to-127-0-0-2': { status: 302, headers: { location: `http://127.0.0.2:${private2.port}/secret` } },
      '/to-ipv6-loopback': { status: 302, headers: { location: `http://[::1]:${private6.port}/secret` } },
      '/stall': {
        handle: (_request, response) => {
          response.writeHead(200, { 'content-type': 'application/rss+xml' });
          response.write('<rss version="2.0"><channel>');
        },
      },
      '/huge': {
        handle: (_request, response) => {
          response.writeHead(200, { 'content-type': 'application/rss+xml' });
          const chunk = Buffer.alloc(64 * 1024, 0x20);
          let sent = 0;
          const pump = (): void => {
            while (sent < 1024 ** 3 && !response.destroyed) {
              sent += chunk.length;
              if (!response.write(chunk)) return void response.once('drain', pump);
            }
            response.end();
          };
          pump();
        },
      },
    });
  });

  afterAll(async () => {
    await Promise.all([server.close(), private2.close(), private6.close()]);
  });

  it('ends every bad feed with a clear error and still delivers the good one', async () => {
    const paths = ['/bomb', '/html', '/loop', '/to-127-0-0-2', '/to-ipv6-loopback', '/stall', '/huge', '/good'];
    const feeds = paths.map((path) => feed(path.slice(1), server.url(path)));
    const h = harness(feeds);
    h.deps.source = createHttpFeedSource({ userAgent: 'storywatch/test (+mailto:desk@example.org)', allowPrivateHosts: ['127.0.0.1'], bodyTimeoutMs: 500, connectTimeoutMs: 500 });
    const report = await createFeedPoller(h.deps).pollDue();
    const errors = Object.fromEntries(report.failures.map((failure) => [failure.feedId, failure.error]));
    expect(errors).toEqual({
      bomb: 'refused: entity "e1" refers to other entities (entity expansion attack)',
      html: 'not a feed: got an HTML page',
      loop: `more than 5 redirects (last to /loop)`,
      'to-127-0-0-2': expect.stringMatching(/^refused: 127\.0\.0\.2 is loopback/),
      'to-ipv6-loopback': expect.stringMatching(/^refused: ::1 is loopback/),
      stall: expect.stringMatching(/body timeout/),
      huge: 'body exceeds the 5 MB cap',
    });
    expect(h.delivered.map((d) => d.feedId)).toEqual(['good']);
    expect(private2.requests).toEqual([]);
    expect(private6.requests).toEqual([]);
    expect(report).toMatchObject({ polled: 8, fresh: 1, failed: 7 });
  });
});
