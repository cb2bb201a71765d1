// `storywatch replay`: feed files, directories or URLs through parse and match, without posting or
// storing. Evaluation tools read its JSON lines, so that shape stays stable.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Matcher } from '../core/matching/match-item.js';
import type { Feed, StoryMatch } from '../core/model.js';
import type { FeedSource } from '../core/ports.js';
import { FeedParseError, parseFeed } from '../feeds/parse-feed.js';

export interface ReplayRecord {
  feed: string;
  link: string | null;
  guid: string | null;
  title: string;
  matches: StoryMatch[];
}

export interface ReplayOptions {
  matcher: Matcher;
  /** Keep only matches of this story. */
  storySlug?: string;
  /** Configured feeds: an input whose URL or self link is one of them takes its kind and owner. */
  feeds?: Feed[];
  /** Fetches URL inputs (the SSRF-guarded HTTP client). */
  source?: FeedSource;
}

export interface ReplayFailure {
  input: string;
  error: string;
}

export interface ReplayResult {
  records: ReplayRecord[];
  failures: ReplayFailure[];
}

const FEED_FILE = /\.(xml|rss|atom|rdf|feed)$/i;

/** Expands directories into their feed files (sorted, so output order is stable). */
async function expandInputs(inputs: string[]): Promise<string[]> {
  const expanded: string[] = [];
  for (const input of inputs) {
    if (/^https?:\/\//i.test(input)) {
      expanded.push(input);
      continue;
    }
    const info = await stat(input).catch(() => undefined);
    if (info?.isDirectory()) {
      const names = (await readdir(input)).filter((name) => FEED_FILE.test(name)).sort();
      expanded.push(...names.map((name) => join(input, name)));
    } else {
      expanded.push(input);
    }
  }
  return expanded;
}

async function readInput(input: string, options: ReplayOptions): Promise<{ body: string | Uint8Array; contentType?: string }> {
  if (/^https?:\/\//i.test(input)) {
    if (!options.source) throw new Error('fetching URLs is not available here');
    const feed: Feed = { id: 'replay', url: input, title: input, kind: 'outlet', stories: [], intervalMinutes: 5 };
    const result = await options.source.fetch(feed, {});
    if (result.status === 'failed') throw new Error(result.error);
    if (result.status === 'not-modified') throw new Error('server answered 304 Not Modified to an unconditional request');
    return { body: result.body, ...(result.contentType ? { contentType: result.contentType } : {}) };
  }
  try {
    return { body: await readFile(input) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : (error as Error).message, {
      cause: error,
    });
  }
}

function configuredFeed(options: ReplayOptions, input: string, selfUrl: string | undefined): Feed | undefined {
  const location = /^https?:\/\//i.test(input) ? input : resolve(input);
  return options.feeds?.find((feed) => feed.url === location || (selfUrl !== undefined && feed.url === selfUrl));
}

/** Replays every input; a file that cannot be read or parsed is reported and the rest go on. */
export async function replayInputs(inputs: string[], options: ReplayOptions): Promise<ReplayResult> {
  const result: ReplayResult = { records: [], failures: [] };
  for (const input of await expandInputs(inputs)) {
    try {
      const { body, contentType } = await readInput(input, options);
      const parsed = await parseFeed(body, { id: input }, {
        ...(contentType ? { contentType } : {}),
        ...(/^https?:/i.test(input) ? { baseUrl: input } : {}),
      });
      const feed = configuredFeed(options, input, parsed.selfUrl);
      for (const item of parsed.items) {
        const matches = options.matcher
          .match(item, feed)
          .filter((match) => options.storySlug === undefined || match.story === options.storySlug);
        result.records.push({ feed: input, link: item.link ?? null, guid: item.guid ?? null, title: item.title, matches });
      }
    } catch (error) {
      const message = error instanceof FeedParseError ? error.message : (error as Error).message;
      result.failures.push({ input, error: message.split('\n')[0] ?? 'unknown error' });
    }
  }
  return result;
}

/** The stable JSON line for one record: exactly these keys, in this order. */
export function recordToJson(record: ReplayRecord): string {
  return JSON.stringify({
    feed: record.feed,
    link: record.link,
    guid: record.guid,
    title: record.title,
    matches: record.matches.map((match) => ({
      story: match.story,
      score: match.score,
      companies: match.companies,
      statements: match.statements.map((s) => ({ company: s.company, quote: s.quote, stance: s.stance })),
      why: match.why,
    })),
  });
}

export function recordToText(record: ReplayRecord): string {
  if (record.matches.length === 0) return `  -  ${record.title}`;
  return record.matches
    .map((match) => {
      const statements = match.statements.map((s) => `\n       ${s.company} ${s.stance}: “${s.quote}”`).join('');
      return `  ✓  ${record.title}\n     ${match.story} (score ${match.score.toFixed(2)}): ${match.why}${statements}`;
    })
    .join('\n');
}
