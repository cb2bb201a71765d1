// `npm run conformance -- DIR`: runs parseFeed over feedparser's test feeds (DIR/wellformed,
// DIR/illformed) and checks every `Expect:` assertion about an entry's title, link, id/guid,
// summary/description or content against our FeedItems. Ill-formed files must give items or a
// one-line reason; anything else thrown is a crash.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FeedItem } from '../core/model.js';
import { FeedParseError, parseFeed, type ParsedFeed } from './parse-feed.js';
import { evaluate, parseExpression, type Lookup } from './python-expect.js';

/** feedparser's test server serves the files from here; expected absolute URLs assume it. */
const TEST_SERVER_ORIGIN = 'http://127.0.0.1:8097';

export interface ConformanceCase {
  file: string;
  expect?: string;
  headers: Record<string, string>;
}

export interface ConformanceResult {
  file: string;
  expect?: string;
  /** Whether the Expect line has at least one assertion we map. */
  mapped: boolean;
  passed?: boolean;
  items?: number;
  /** The one-line reason parseFeed gave when it refused the file. */
  reason?: string;
  crash?: string;
  actual?: string;
}

/** Reads the `Expect:` and `Header:` lines from the leading comment of a test feed. */
export function readCase(file: string, text: string): ConformanceCase {
  const comment = /<!--([\s\S]*?)-->/.exec(text)?.[1] ?? '';
  const headers: Record<string, string> = {};
  let expect: string | undefined;
  for (const line of comment.split(/\r?\n/)) {
    const match = /^\s*(Expect|Header):\s*(.*)$/.exec(line);
    if (!match) continue;
    if (match[1] === 'Expect') expect = match[2]?.trim();
    else {
      const [name = '', ...value] = (match[2] ?? '').split(':');
      headers[name.trim().toLowerCase()] = value.join(':').trim();
    }
  }
  return { file, expect, headers };
}

/** Where feedparser's values live in a FeedItem; undefined for what we do not map. */
export function entryLookup(items: FeedItem[]): Lookup {
  return ({ root, steps }) => {
    if (root !== 'entries' || typeof steps[0] !== 'number') return { known: false };
    const item: FeedItem | undefined = items[steps[0]];
    const field = steps.slice(1).join('.');
    switch (field) {
      case 'title':
      case 'title_detail.value':
        return { known: true, value: item?.title };
      case 'link':
        return { known: true, value: item?.link };
      case 'id':
      case 'guid':
        return { known: true, value: item?.guid };
      case 'summary':
      case 'description':
      case 'summary_detail.value':
        return { known: true, value: item?.summary };
      case 'content.0.value':
        return { known: true, value: item?.content };
      default:
        return { known: false };
    }
  };
}

function describeItems(items: FeedItem[]): string {
  const first = items[0];
  if (!first) return 'no entries';
  const shown = { title: first.title, link: first.link, guid: first.guid, summary: first.summary, content: first.content };
  return JSON.stringify(shown).slice(0, 400);
}

export async function runCase(testCase: ConformanceCase, bytes: Uint8Array, relativePath: string): Promise<ConformanceResult> {
  const documentUrl = `${TEST_SERVER_ORIGIN}/tests/${relativePath.split(path.sep).join('/')}`;
  const location = testCase.headers['content-location'];
  const baseUrl = location ? new URL(location, documentUrl).href : documentUrl;
  const result: ConformanceResult = { file: relativePath, expect: testCase.expect, mapped: false };
  let parsed: ParsedFeed | undefined;
  try {
    parsed = await parseFeed(bytes, { id: 'conformance' }, { contentType: testCase.headers['content-type'], baseUrl });
    result.items = parsed.items.length;
  } catch (error) {
    if (error instanceof FeedParseError && !error.message.includes('\n')) result.reason = error.message;
    else result.crash = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  if (!testCase.expect) return result;
  let verdict;
  try {
    verdict = evaluate(parseExpression(testCase.expect), entryLookup(parsed?.items ?? []));
  } catch {
    return result; // An expression outside our subset is not a mapped assertion.
  }
  if (verdict === 'unknown') return result;
  result.mapped = true;
  result.passed = verdict && !result.crash;
  if (!result.passed) result.actual = result.reason ?? result.crash ?? describeItems(parsed?.items ?? []);
  return result;
}

async function listFeeds(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(xml|rdf|rss|atom)$/i.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

export interface ConformanceSummary {
  files: number;
  mapped: number;
  passed: number;
  crashes: ConformanceResult[];
  failures: ConformanceResult[];
  illformed: { files: number; withItems: number; withReason: number };
}

export async function runConformance(root: string): Promise<ConformanceSummary> {
  const results: ConformanceResult[] = [];
  for (const section of ['wellformed', 'illformed']) {
    const dir = path.join(root, section);
    const files = await listFeeds(dir).catch(() => []);
    for (const file of files) {
      const bytes = new Uint8Array(await fs.readFile(file));
      const testCase = readCase(file, new TextDecoder('latin1').decode(bytes.subarray(0, 4096)));
      results.push(await runCase(testCase, bytes, path.relative(root, file)));
    }
  }
  const mapped = results.filter((result) => result.mapped);
  const illformed = results.filter((result) => result.file.startsWith(`illformed${path.sep}`));
  return {
    files: results.length,
    mapped: mapped.length,
    passed: mapped.filter((result) => result.passed).length,
    crashes: results.filter((result) => result.crash),
    failures: mapped.filter((result) => !result.passed),
    illformed: {
      files: illformed.length,
      withItems: illformed.filter((result) => result.items !== undefined).length,
      withReason: illformed.filter((result) => result.reason !== undefined).length,
    },
  };
}

export const CONFORMANCE_TARGET = 0.95;

export async function main(argv: string[]): Promise<number> {
  const dir = argv.find((arg) => !arg.startsWith('-'));
  if (!dir) {
    process.stderr.write('usage: npm run conformance -- DIR   (DIR holds wellformed/ and illformed/ from feedparser\'s tests)\n');
    return 2;
  }
  const summary = await runConformance(path.resolve(dir));
  if (summary.files === 0) {
    process.stderr.write(`no test feeds under ${dir}/wellformed or ${dir}/illformed\n`);
    return 2;
  }
  const rate = summary.mapped === 0 ? 0 : summary.passed / summary.mapped;
  const out = process.stdout;
  out.write(`feed conformance (feedparser test feeds in ${dir})\n`);
  out.write(`  files read:          ${summary.files}\n`);
  out.write(`  mapped assertions:   ${summary.mapped}\n`);
  out.write(`  passed:              ${summary.passed} (${(rate * 100).toFixed(1)}%, target ${CONFORMANCE_TARGET * 100}%)\n`);
  out.write(`  crashes:             ${summary.crashes.length}\n`);
  out.write(
    `  ill-formed files:    ${summary.illformed.files} (${summary.illformed.withItems} gave items, ${summary.illformed.withReason} gave a reason)\n`,
  );
  for (const crash of summary.crashes) out.write(`CRASH ${crash.file}: ${crash.crash}\n`);
  for (const failure of summary.failures) {
    out.write(`FAIL  ${failure.file}\n      expect: ${failure.expect}\n      got:    ${failure.actual}\n`);
  }
  return rate >= CONFORMANCE_TARGET && summary.crashes.length === 0 ? 0 : 1;
}
