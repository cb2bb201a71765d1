import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/eval/eval-cli.js';

const STORY = `slug: globex-location
title: Globex shared location data with partners
summary: Globex gave partners access to shoppers' location histories.
since: "2024-01-01"
threshold: 4
companies:
  - name: Globex
    role: subject
  - name: Initech
  - name: Apple
    aliases:
      - { text: Apple, caseSensitive: true, negativeContexts: [pie] }
vocabulary:
  core: [location data, location histories]
  related: [privacy, partners]
  negative: [earnings]
`;

function rssItem(link: string, title: string, description: string, date = 'Tue, 05 Mar 2024 10:00:00 GMT'): string {
  return `<item><title>${title}</title><link>${link}</link><guid>${link}</guid><pubDate>${date}</pubDate><description>${description}</description></item>`;
}

const FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>Test outlet</title><link>https://outlet.test/</link><description>t</description>
${rssItem('https://outlet.test/1', 'Globex shared location data with Initech', 'Globex gave Initech location histories. An Initech spokesperson said: &quot;We never used the location data.&quot;')}
${rssItem('https://outlet.test/2', 'Globex location data reached Apple', 'Globex shared location data with Apple, regulators say.')}
${rssItem('https://outlet.test/3', 'Globex earnings beat forecasts', 'Globex and Initech reported earnings; location data was not discussed. Initech said sales grew.')}
${rssItem('https://outlet.test/4', 'Old: Globex location data plans', 'Globex planned to share location data with Initech.', 'Mon, 01 May 2023 10:00:00 GMT')}
</channel></rss>`;

const TITLES: Record<string, string> = {
  'https://outlet.test/1': 'Globex shared location data with Initech',
  'https://outlet.test/2': 'Globex location data reached Apple',
  'https://outlet.test/3': 'Globex earnings beat forecasts',
  'https://outlet.test/4': 'Old: Globex location data plans',
};

function label(link: string, story: string | null, companies: string[], statementBy: string[], kind: string): string {
  return JSON.stringify({ id: link.slice(-1), link, title: TITLES[link], labels: { story, companies, statement_by: statementBy, other_statement_by: [], kind } });
}

describe('storywatch eval', () => {
  let dir: string;
  let storiesDir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'storywatch-eval-'));
    storiesDir = join(dir, 'stories');
    mkdirSync(join(dir, 'feeds'));
    mkdirSync(storiesDir);
    writeFileSync(join(dir, 'feeds', 'outlet.xml'), FEED);
    writeFileSync(join(storiesDir, 'globex-location.yaml'), STORY);
    writeFileSync(
      join(dir, 'labels.jsonl'),
      [
        label('https://outlet.test/1', 'globex-location', ['Globex', 'Initech'], ['Initech'], 'positive'),
        label('https://outlet.test/2', 'globex-location', ['Globex', 'Apple'], [], 'positive'),
        label('https://outlet.test/3', null, [], [], 'hard-negative'),
        label('https://outlet.test/4', null, [], [], 'hard-negative'),
      ].join('\n'),
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    return main(args, { log: (text) => out.push(text), error: (text) => err.push(text) }).then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }));
  }

  it('prints precision, recall and F1 for relevance, statements and companies next to the keyword baseline', async () => {
    const { code, out } = await run([dir, '--stories', storiesDir]);
    expect(code).toBe(0);
    expect(out).toContain('story "globex-location", threshold 4, 4 labelled items, 2 on the story');
    expect(out).toMatch(/relevance\s+1\.000\s+1\.000\s+1\.000/);
    expect(out).toMatch(/statements\s+1\.000\s+1\.000\s+1\.000/);
    expect(out).toContain('keyword baseline');
    expect(out).toContain('Held-out check');
  });

  it('gives the figures as JSON with --json', async () => {
    const { out } = await run([dir, '--stories', storiesDir, '--json']);
    const report = JSON.parse(out) as { storywatch: { relevance: { f1: number } }; baseline: { relevance: { f1: number } } };
    expect(report.storywatch.relevance.f1).toBe(1);
    expect(report.baseline.relevance.f1).toBeLessThan(1);
  });

  it('lists the errors with their reasons when the labels disagree', async () => {
    const wrong = join(dir, 'wrong');
    mkdirSync(join(wrong, 'feeds'), { recursive: true });
    writeFileSync(join(wrong, 'feeds', 'outlet.xml'), FEED);
    writeFileSync(join(wrong, 'labels.jsonl'), label('https://outlet.test/3', 'globex-location', ['Globex'], ['Initech'], 'positive'));
    const { out } = await run([wrong, '--stories', storiesDir]);
    expect(out).toContain('Relevance false negatives');
    expect(out).toContain('Globex earnings beat forecasts');
    expect(out).toContain('counted against: "earnings"');
  });

  it('scores every configured story the labels name, each in its own section', async () => {
    const two = join(dir, 'two');
    const twoStories = join(two, 'stories');
    mkdirSync(join(two, 'feeds'), { recursive: true });
    mkdirSync(twoStories);
    writeFileSync(join(twoStories, 'globex-location.yaml'), STORY);
    writeFileSync(
      join(twoStories, 'initech-outage.yaml'),
      'slug: initech-outage\ntitle: Initech outage\nsummary: Initech was down.\nthreshold: 3\ncompanies:\n  - name: Initech\n    role: subject\nvocabulary:\n  core: [outage]\n',
    );
    writeFileSync(
      join(two, 'feeds', 'outlet.xml'),
      FEED.replace('</channel>', `${rssItem('https://outlet.test/5', 'Initech outage hits users', 'The Initech outage lasted hours.')}</channel>`),
    );
    writeFileSync(
      join(two, 'labels.jsonl'),
      [
        label('https://outlet.test/1', 'globex-location', ['Globex', 'Initech'], ['Initech'], 'positive'),
        JSON.stringify({ id: '5', link: 'https://outlet.test/5', title: 'Initech outage hits users', labels: { story: 'initech-outage', companies: ['Initech'], statement_by: [], kind: 'positive' } }),
        JSON.stringify({ id: '9', link: 'https://outlet.test/9', title: 'Elsewhere', labels: { story: 'not-configured', companies: [], statement_by: [], kind: 'positive' } }),
      ].join('\n'),
    );
    const { code, out } = await run([two, '--stories', twoStories]);
    expect(code).toBe(0);
    expect(out).toContain('story "globex-location"');
    expect(out).toContain('story "initech-outage"');
    expect(out).toContain('labels name the story "not-configured"');
  });

  it('explains its usage and fails without a directory', async () => {
    const { code, err } = await run([]);
    expect(code).toBe(2);
    expect(err).toContain('usage: storywatch eval DIR');
  });

  it('says which stories exist when the labelled story is not configured', async () => {
    const { code, err } = await run([dir, '--stories', storiesDir, '--story', 'nope']);
    expect(code).toBe(2);
    expect(err).toContain('story "nope" is not in');
  });
});
