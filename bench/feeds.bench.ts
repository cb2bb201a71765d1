// Feed polling: one poll cycle over 1,000 feeds on a local HTTP server (95% answer 304) with 16
// requests at once, against the same 1,000 requests made with bare node:http; the process's peak
// RSS during the cycles; and parseFeed against rss-parser's parseString alone.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import Parser from 'rss-parser';
import { parseFeed } from '../src/feeds/parse-feed.js';
import { rssDocument, startFeedServer, type FeedServer } from '../tests/fakes/feed-server.js';
import type { BenchRow } from './bench-types.js';
import { median } from './measure.js';

const FEEDS = 1000;
const NOT_MODIFIED_SHARE = 0.95;
const CONCURRENCY = 16;
/** Distinct host names (all resolving to 127.0.0.1), so the per-host cap of 2 is exercised. */
const HOSTS = 64;
const RUNS = 5;

function itemsFor(feedIndex: number, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    title: `Story ${feedIndex}-${i}: regulator questions data-sharing deal`,
    link: `https://news.example/${feedIndex}/${i}`,
    guid: `urn:bench:${feedIndex}:${i}`,
    description: `<p>Paragraph about item ${i} of feed ${feedIndex}, with <a href="/more">a link</a> &amp; some text.</p>`.repeat(3),
    pubDate: new Date(Date.UTC(2026, 0, 1, 0, i)).toUTCString(),
  }));
}

/** The ETag a client holds for feed i after an earlier poll: current for 95%, stale for the rest. */
function heldEtag(i: number): string {
  return i < FEEDS * NOT_MODIFIED_SHARE ? `"v-${i}"` : `"old-${i}"`;
}

interface ChildReport {
  cycles: number[];
  maxRssBytes: number;
  fresh: number;
  notModified: number;
  failed: number;
  maxConcurrent: number;
}

/**
 * Runs the poller in a child process of its own (as the bot would), so its peak RSS is not mixed
 * with the feed server's or other benches'. It polls `runs` cycles after one warm-up cycle.
 */
function pollerChildSource(port: number, runs: number): string {
  const module = (relative: string) => JSON.stringify(new URL(relative, import.meta.url).href);
  return `
    import { performance } from 'node:perf_hooks';
    import { silentLogger } from ${module('../src/app/logger.ts')};
    import { createHttpFeedSource } from ${module('../src/feeds/fetch-feed.ts')};
    import { createFeedPoller } from ${module('../src/feeds/poll-feeds.ts')};
    import { FakeClock } from ${module('../tests/fakes/fake-clock.ts')};
    import { FakeFeedStates } from ${module('../tests/fakes/memory-feed-states.ts')};
    const feeds = Array.from({ length: ${FEEDS} }, (_, i) => ({
      id: 'feed-' + i, url: 'http://h' + (i % ${HOSTS}) + '.bench.test:${port}/feed/' + i,
      title: 'Feed ' + i, kind: 'outlet', stories: [], intervalMinutes: 5,
    }));
    const primed = () => Array.from({ length: ${FEEDS} }, (_, i) => ({
      feedId: 'feed-' + i, status: 'ok', etag: i < ${FEEDS * NOT_MODIFIED_SHARE} ? '"v-' + i + '"' : '"old-' + i + '"',
      lastSuccessAt: 0, consecutiveFailures: 0, nextPollAt: 0,
    }));
    const http = createHttpFeedSource({
      userAgent: 'storywatch/bench (+mailto:bench@example.org)',
      allowPrivateHosts: ['127.0.0.1'],
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    let running = 0;
    let maxConcurrent = 0;
    const source = { async fetch(feed, validators) {
      running += 1; maxConcurrent = Math.max(maxConcurrent, running);
      try { return await http.fetch(feed, validators); } finally { running -= 1; }
    } };
    const cycles = [];
    let last;
    for (let run = 0; run <= ${runs}; run++) {
      const poller = createFeedPoller({
        feeds, source, feedStates: new FakeFeedStates(primed()), clock: new FakeClock(),
        onItems: async () => {}, onPaused: async () => {}, logger: silentLogger(),
        concurrency: ${CONCURRENCY}, perHostConcurrency: 2,
      });
      const start = performance.now();
      last = await poller.pollAll();
      if (run > 0) cycles.push(performance.now() - start);
    }
    process.stdout.write(JSON.stringify({
      cycles, maxRssBytes: process.resourceUsage().maxRSS * 1024,
      fresh: last.fresh, notModified: last.notModified, failed: last.failed, maxConcurrent,
    }));
  `;
}

async function pollInChild(port: number, runs: number): Promise<ChildReport> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', pollerChildSource(port, runs)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`poller child exited with ${code}: ${stderr.split('\n')[0] ?? ''}`);
  return JSON.parse(stdout) as ChildReport;
}

/** A bare Node process with the tsx loader: what any process of ours costs before doing anything. */
async function idleChildRss(): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', 'process.stdout.write(String(process.resourceUsage().maxRSS * 1024))'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  await new Promise((resolve) => child.on('close', resolve));
  return Number(stdout);
}

/** The same requests with bare node:http, 16 at a time: no SSRF check, no parsing, no state. */
async function rawRequestsMs(server: FeedServer): Promise<number> {
  const agent = new http.Agent({ keepAlive: true });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < FEEDS) {
      const index = next++;
      await new Promise<void>((resolve, reject) => {
        const request = http.get(server.url(`/feed/${index}`), { agent, headers: { 'if-none-match': heldEtag(index) } }, (response) => {
          response.resume();
          response.on('end', resolve);
        });
        request.on('error', reject);
      });
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const ms = performance.now() - start;
  agent.destroy();
  return ms;
}

async function parseRows(): Promise<BenchRow[]> {
  const body = rssDocument('Bench', itemsFor(1, 50));
  const parser = new Parser();
  const time = async (task: () => Promise<unknown>): Promise<number> => {
    for (let i = 0; i < 20; i++) await task();
    const samples: number[] = [];
    for (let i = 0; i < 50; i++) {
      const start = performance.now();
      await task();
      samples.push(performance.now() - start);
    }
    return median(samples);
  };
  const ours = await time(() => parseFeed(body, { id: 'bench' }, { baseUrl: 'https://news.example/feed' }));
  const baseline = await time(() => parser.parseString(body));
  return [
    {
      name: 'parseFeed, 50-item RSS 2.0 (vs rss-parser parseString alone)',
      median: `${ours.toFixed(2)} ms`,
      baseline: `${baseline.toFixed(2)} ms`,
      ratio: (ours / baseline).toFixed(2),
      note: 'ours adds charset, DOCTYPE guard, per-item mapping, link resolution, canonical HTML',
    },
  ];
}

export async function run(): Promise<BenchRow[]> {
  const routes: Parameters<typeof startFeedServer>[0] = {};
  for (let i = 0; i < FEEDS; i++) {
    routes[`/feed/${i}`] = { body: rssDocument(`Feed ${i}`, itemsFor(i, 20)), etag: `"v-${i}"` };
  }
  const server = await startFeedServer(routes);
  try {
    const child = await pollInChild(server.port, RUNS);
    const idleRss = await idleChildRss();
    const raw: number[] = [];
    for (let run = 0; run < RUNS; run++) raw.push(await rawRequestsMs(server));
    const cycleMs = median(child.cycles);
    const rawMs = median(raw);
    const peakMb = child.maxRssBytes / (1024 * 1024);
    return [
      {
        name: `poll cycle: ${FEEDS} feeds, ${NOT_MODIFIED_SHARE * 100}% answer 304, ${CONCURRENCY} at once`,
        median: `${cycleMs.toFixed(0)} ms`,
        baseline: `${rawMs.toFixed(0)} ms (bare node:http, same requests)`,
        ratio: (cycleMs / rawMs).toFixed(2),
        target: '< 10 s',
        pass: cycleMs < 10_000 && child.failed === 0 && child.maxConcurrent <= CONCURRENCY,
        note: `${child.notModified} not modified, ${child.fresh} parsed, ${child.failed} failed; at most ${child.maxConcurrent} fetches at once (2 per host, ${HOSTS} hosts)`,
      },
      {
        name: 'peak RSS of the polling process',
        median: `${peakMb.toFixed(0)} MB`,
        baseline: `${(idleRss / (1024 * 1024)).toFixed(0)} MB (idle node + tsx)`,
        ratio: (child.maxRssBytes / idleRss).toFixed(2),
        target: '< 150 MB',
        pass: peakMb < 150,
        note: `${RUNS + 1} cycles in a child process; the feed server runs in the parent`,
      },
      ...(await parseRows()),
    ];
  } finally {
    await server.close();
  }
}
