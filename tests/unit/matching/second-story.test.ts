// A second story, on another subject, tracked from a plainly written story file: the matcher's rules
// are not the facebook-partners story's. The items are hand-written (fixtures/boeing-737-max), labelled
// like the dev corpus: positives (with the companies that make statements), passing mentions and
// hard negatives (the same companies in the same weeks, another story).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStories } from '../../../src/config/load-config.js';
import { createMatcher } from '../../../src/core/matching/match-item.js';
import type { FeedItem } from '../../../src/core/model.js';
import { pairKey, scoreSets } from '../../../src/eval/metrics.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'boeing-737-max');

interface FixtureItem {
  id: string;
  title: string;
  link: string;
  pubDate: string;
  description: string;
  labels: { story: string | null; statement_by: string[]; kind: string; other_statement_by: string[] };
}

const fixtureItems: FixtureItem[] = readFileSync(join(FIXTURE, 'labels.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim().length > 0)
  .map((line) => JSON.parse(line) as FixtureItem);

function feedItem(fixture: FixtureItem): FeedItem {
  return { feedId: 'fixture', key: fixture.id, link: fixture.link, title: fixture.title, summary: fixture.description, publishedAt: fixture.pubDate };
}

const [story] = loadStories(join(FIXTURE, 'stories'));
const matcher = createMatcher(story ? [story] : []);
const results = fixtureItems.map((fixture) => ({ fixture, match: matcher.match(feedItem(fixture))[0] }));

describe('a second story (Boeing 737 Max grounding) tracked from a plain story file', () => {
  it('has a story file and a labelled set of about thirty items with every kind of item', () => {
    expect(story?.slug).toBe('boeing-737-max');
    const kinds = new Set(fixtureItems.map((f) => f.labels.kind));
    expect([...kinds].sort()).toEqual(['hard-negative', 'passing-mention', 'positive']);
    expect(fixtureItems.length).toBeGreaterThanOrEqual(30);
  });

  it('rejects every hard negative: the same companies in another story', () => {
    const wrong = results.filter((r) => r.fixture.labels.kind === 'hard-negative' && r.match).map((r) => r.fixture.title);
    expect(wrong).toEqual([]);
  });

  it('matches every item that names the story’s subject with its core term, and reaches relevance F1 ≥ 0.9 with precision close to recall', () => {
    const clear = results.filter((r) => r.fixture.labels.kind === 'positive' && /Boeing/.test(r.fixture.description) && /737 Max/.test(r.fixture.description));
    expect(clear.filter((r) => !r.match).map((r) => r.fixture.title)).toEqual([]);
    const scores = scoreSets(
      new Set(results.filter((r) => r.match).map((r) => r.fixture.id)),
      new Set(results.filter((r) => r.fixture.labels.story === 'boeing-737-max').map((r) => r.fixture.id)),
    );
    expect(scores.f1).toBeGreaterThanOrEqual(0.9);
    expect(scores.precision).toBeGreaterThanOrEqual(scores.recall - 0.05);
  });

  it('attributes the companies’ statements (said in a statement, according to a spokesperson, declined to comment) with statements F1 ≥ 0.9', () => {
    const predicted = new Set(results.flatMap((r) => (r.match?.statements ?? []).map((s) => pairKey(r.fixture.id, s.company))));
    const expected = new Set(results.flatMap((r) => r.fixture.labels.statement_by.map((company) => pairKey(r.fixture.id, company))));
    const scores = scoreSets(predicted, expected);
    expect(scores.f1).toBeGreaterThanOrEqual(0.9);
    expect(scores.precision).toBeGreaterThanOrEqual(scores.recall - 0.05);
  });

  it('reads "declined to comment" as declining and "did not respond to a request for comment" as no statement', () => {
    const united = results.find((r) => r.fixture.title.startsWith('United Airlines quiet'))?.match;
    expect(united?.statements.find((s) => s.company === 'United Airlines')?.stance).toBe('declines');
    const airbus = results.find((r) => r.fixture.title.startsWith('Airbus gains'))?.match;
    expect(airbus?.statements.map((s) => s.company)).not.toContain('Boeing');
  });
});
