// Matching speed: items per second for one story of 15 companies, the cost per item with 100 such
// stories (one automaton for all), and parse + match against rss-parser parsing alone.
// Items and feeds are the dev corpus read from /work/shared at bench time (generated feeds if absent).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Parser from 'rss-parser';
import { loadStories } from '../src/config/load-config.js';
import { createMatcher } from '../src/core/matching/match-item.js';
import type { Company, FeedItem, Story } from '../src/core/model.js';
import { parseFeed } from '../src/feeds/parse-feed.js';
import type { BenchRow } from './bench-types.js';

const CORPUS_FEEDS = '/work/shared/corpus/dev/feeds';

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * Median CPU milliseconds (user + system) of `runs` runs of task, after two warm-up runs. CPU time
 * rather than wall time: "on one core", and steadier when other processes share the machine.
 */
async function timeRuns(runs: number, task: () => unknown): Promise<number> {
  await task();
  await task();
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = process.cpuUsage();
    await task();
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / 1000);
  }
  return median(samples);
}

/** A deterministic pseudo-random word source, so every run benches the same synthetic stories. */
function wordSource(seed: number): () => string {
  let state = seed * 7919 + 17;
  const syllables = [
    'ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'qua', 'bri', 'dex', 'for', 'gal', 'hon', 'jup',
    'pel', 'tor', 'wix', 'yam', 'cer', 'dun', 'fal', 'gor', 'hel', 'jin', 'kor', 'lum', 'mar', 'nix', 'pra', 'sul',
  ];
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 16;
  };
  return () => {
    let word = '';
    const length = 3 + (next() % 2);
    for (let i = 0; i < length; i++) word += syllables[next() % syllables.length];
    return word;
  };
}

function syntheticCompany(word: () => string, role: Company['role']): Company {
  const name = `${word()} ${word()}`.replace(/^./, (c) => c.toUpperCase());
  return {
    name,
    id: name.toLowerCase().replace(/\s+/g, '-'),
    role,
    aliases: [
      { text: name, caseSensitive: false, negativeContexts: [] },
      { text: name.split(' ')[0] as string, caseSensitive: true, negativeContexts: [word()] },
      { text: word().toUpperCase(), caseSensitive: true, negativeContexts: [] },
    ],
  };
}

function syntheticStory(index: number, sharedCompanies: readonly Company[]): Story {
  const word = wordSource(index + 1);
  const shared = sharedCompanies[index % sharedCompanies.length] as Company;
  return {
    slug: `synthetic-${index}`,
    title: `Synthetic story ${index}`,
    summary: '',
    reporting: [],
    channels: {},
    threshold: 4,
    // Like real stories, some share a well-known company (here one of the real story's partners).
    companies: [syntheticCompany(word, 'subject'), ...Array.from({ length: 13 }, () => syntheticCompany(word, 'named')), shared],
    vocabulary: {
      core: Array.from({ length: 20 }, () => `${word()} ${word()}`),
      related: Array.from({ length: 15 }, () => word()),
      negative: Array.from({ length: 15 }, () => `${word()}*`),
    },
  };
}

/** An item on a synthetic story: its subject, two partners, two core terms and a partner's response. */
function syntheticItem(story: Story, index: number): FeedItem {
  const [subject, first, second] = story.companies;
  const [termA = '', termB = ''] = story.vocabulary.core;
  return {
    feedId: 'synthetic',
    key: `synthetic-${index}`,
    title: `${subject?.name ?? ''} ${termA} with ${first?.name ?? ''}`,
    summary: `<p>${subject?.name ?? ''} gave ${first?.name ?? ''} and ${second?.name ?? ''} ${termB}. A ${second?.name ?? ''} spokesperson said: &ldquo;We never used the ${termA}.&rdquo; ${story.vocabulary.related[0] ?? ''}.</p>`,
    publishedAt: '2019-01-10T12:00:00Z',
  };
}

/** The real story padded to 15 companies, so the one-story case has real hits on real items. */
function realStoryWith15Companies(): Story {
  const [story] = loadStories('config/stories').filter((s) => s.companies.length > 0);
  if (!story) throw new Error('no story in config/stories');
  const word = wordSource(999);
  const padding = Array.from({ length: Math.max(0, 15 - story.companies.length) }, () => syntheticCompany(word, 'named'));
  return { ...story, companies: [...story.companies, ...padding].slice(0, 15) };
}

/**
 * The same story as a newsroom engineer would first write it: the same companies, a short vocabulary,
 * so the matcher derives weak terms from its title and summary (story-terms.ts).
 */
function plainStoryWith15Companies(): Story {
  const story = realStoryWith15Companies();
  return { ...story, threshold: 3, vocabulary: { core: story.vocabulary.core.slice(0, 2), related: story.vocabulary.related.slice(0, 3), negative: [] } };
}

function generatedFeeds(): string[] {
  const word = wordSource(7);
  return Array.from({ length: 50 }, (_, f) => {
    const items = Array.from({ length: 4 }, (_, i) => `<item><title>${word()} ${word()} Facebook ${word()}</title><link>https://example.test/${f}/${i}</link><guid>https://example.test/${f}/${i}</guid><pubDate>Wed, 19 Dec 2018 12:00:00 GMT</pubDate><description>Netflix and Spotify could read private messages, the Times reported; a Netflix spokesperson said: &quot;${word()} ${word()}.&quot;</description></item>`).join('');
    return `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed ${f}</title><link>https://example.test/</link><description>d</description>${items}</channel></rss>`;
  });
}

/** rss-parser's item to a FeedItem, the way a minimal integration would map it. */
function fromRssParser(entry: Parser.Item, feedId: string): FeedItem {
  const link = entry.link;
  return {
    feedId,
    key: entry.guid ?? link ?? entry.title ?? '',
    title: entry.title ?? '',
    // rss-parser gives the description as `content` (HTML) and again as `contentSnippet` (text).
    summary: entry.content ?? entry.contentSnippet ?? entry.summary ?? '',
    ...(link ? { link } : {}),
    ...(entry.isoDate ? { publishedAt: entry.isoDate } : {}),
  };
}

function corpusFeeds(): { feeds: string[]; source: string } {
  if (!existsSync(CORPUS_FEEDS)) return { feeds: generatedFeeds(), source: 'generated feeds' };
  const names = readdirSync(CORPUS_FEEDS).filter((name) => name.endsWith('.xml')).sort();
  return { feeds: names.map((name) => readFileSync(join(CORPUS_FEEDS, name), 'utf8')), source: `${names.length} dev-corpus feeds` };
}

export async function run(): Promise<BenchRow[]> {
  const { feeds, source } = corpusFeeds();
  const items: FeedItem[] = [];
  for (const [index, xml] of feeds.entries()) items.push(...(await parseFeed(xml, { id: `feed-${index}` })).items);

  // 1. One story of 15 companies.
  const oneStory = createMatcher([realStoryWith15Companies()]);
  const rounds = Math.max(1, Math.ceil(20_000 / items.length));
  const matchAll = (matcher: { match(item: FeedItem): unknown }) => () => {
    for (let round = 0; round < rounds; round++) for (const item of items) matcher.match(item);
  };
  const itemsPerRun = rounds * items.length;
  const oneStoryMs = await timeRuns(11, matchAll(oneStory));
  const itemsPerSecond = (itemsPerRun / oneStoryMs) * 1000;
  const plainStoryMs = await timeRuns(11, matchAll(createMatcher([plainStoryWith15Companies()])));
  const plainItemsPerSecond = (itemsPerRun / plainStoryMs) * 1000;

  // 2. 100 stories of 15 companies each (the real one and 99 synthetic), one automaton. The items
  // are the corpus plus one item on each synthetic story, so the other stories have hits too; the
  // one-story matcher reads the same items for the baseline.
  const realPartners = realStoryWith15Companies().companies.filter((c) => c.role === 'named');
  const synthetic = Array.from({ length: 99 }, (_, i) => syntheticStory(i, realPartners));
  const mixedItems = [...items, ...synthetic.map(syntheticItem)];
  const hundred = createMatcher([realStoryWith15Companies(), ...synthetic]);
  const mixedRounds = Math.max(1, Math.ceil(20_000 / mixedItems.length));
  const matchMixed = (matcher: { match(item: FeedItem): unknown }) => () => {
    for (let round = 0; round < mixedRounds; round++) for (const item of mixedItems) matcher.match(item);
  };
  const mixedOneMs = await timeRuns(11, matchMixed(oneStory));
  const hundredMs = await timeRuns(11, matchMixed(hundred));
  const growth = hundredMs / mixedOneMs;
  const mixedPerRun = mixedRounds * mixedItems.length;

  // 3. parse + match against rss-parser parsing alone, same feeds: once with rss-parser's own items
  // mapped to FeedItem (what matching adds to parsing), once through the app's parseFeed.
  const rssParser = new Parser();
  const parseRounds = Math.max(1, Math.ceil(1_000 / feeds.length));
  const rssOnlyMs = await timeRuns(9, async () => {
    for (let round = 0; round < parseRounds; round++) for (const xml of feeds) await rssParser.parseString(xml);
  });
  const rssAndMatchMs = await timeRuns(9, async () => {
    for (let round = 0; round < parseRounds; round++) {
      for (const [index, xml] of feeds.entries()) {
        const parsed = await rssParser.parseString(xml);
        for (const entry of parsed.items) oneStory.match(fromRssParser(entry, `feed-${index}`));
      }
    }
  });
  const parseFeedAndMatchMs = await timeRuns(9, async () => {
    for (let round = 0; round < parseRounds; round++) {
      for (const [index, xml] of feeds.entries()) {
        const parsed = await parseFeed(xml, { id: `feed-${index}` });
        for (const item of parsed.items) oneStory.match(item);
      }
    }
  });
  const parseRatio = rssAndMatchMs / rssOnlyMs;
  const parseFeedRatio = parseFeedAndMatchMs / rssOnlyMs;

  return [
    {
      name: 'match: 1 story × 15 companies',
      median: `${Math.round(itemsPerSecond).toLocaleString('en')} items/s`,
      target: '≥ 100,000 items/s',
      pass: itemsPerSecond >= 100_000,
      note: `${((oneStoryMs * 1000) / itemsPerRun).toFixed(2)} µs/item over ${items.length} items (${source})`,
    },
    {
      name: 'match: 1 plain story × 15 companies',
      median: `${Math.round(plainItemsPerSecond).toLocaleString('en')} items/s`,
      target: '≥ 100,000 items/s',
      pass: plainItemsPerSecond >= 100_000,
      note: `${((plainStoryMs * 1000) / itemsPerRun).toFixed(2)} µs/item; a short vocabulary, so terms are derived from the title and summary`,
    },
    {
      name: 'match: 100 stories × 15 companies',
      median: `${((hundredMs * 1000) / mixedPerRun).toFixed(2)} µs/item`,
      baseline: `${((mixedOneMs * 1000) / mixedPerRun).toFixed(2)} µs/item (1 story, same items)`,
      ratio: `${growth.toFixed(2)}x`,
      target: '< 3x',
      pass: growth < 3,
      note: `one automaton for every alias and term of every story; ${items.length} corpus + ${synthetic.length} synthetic items`,
    },
    {
      name: 'rss-parser parse + match vs parse alone',
      median: `${(rssAndMatchMs / parseRounds).toFixed(2)} ms per pass`,
      baseline: `${(rssOnlyMs / parseRounds).toFixed(2)} ms (rss-parser parseString)`,
      ratio: `${parseRatio.toFixed(2)}x`,
      target: '< 1.3x',
      pass: parseRatio < 1.3,
      note: `${feeds.length} feeds, ${items.length} items per pass (${source})`,
    },
    {
      name: 'parseFeed + match vs rss-parser alone',
      median: `${(parseFeedAndMatchMs / parseRounds).toFixed(2)} ms per pass`,
      baseline: `${(rssOnlyMs / parseRounds).toFixed(2)} ms (rss-parser parseString)`,
      ratio: `${parseFeedRatio.toFixed(2)}x`,
      note: 'the app path: parseFeed (src/feeds, guards and mapping on top of rss-parser) + match; informational',
    },
  ];
}
