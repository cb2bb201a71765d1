import { describe, expect, it } from 'vitest';
import { createKeywordBaseline } from '../../src/eval/keyword-baseline.js';
import { item, locationStory } from '../unit/matching/story-fixtures.js';

describe('keyword baseline (the feed-bot filter editors use today)', () => {
  const baseline = createKeywordBaseline([locationStory()]);

  it('matches the subject company, a partner and a story word', () => {
    const [match] = baseline.match(item('Globex and Initech', 'They talked about privacy.'));
    expect(match?.companies).toEqual(['Globex', 'Initech']);
  });

  it('does not match without a partner or without a story word', () => {
    expect(baseline.match(item('Globex and privacy', 'Nothing else.'))).toEqual([]);
    expect(baseline.match(item('Globex and Initech', 'They had lunch.'))).toEqual([]);
  });

  it('reports a statement whenever a company shares a sentence with a word of speech', () => {
    const [match] = baseline.match(item('Globex and Initech', 'Initech said nothing about privacy. Globex grew.'));
    expect(match?.statements.map((s) => s.company)).toEqual(['Initech']);
  });

  it('has no case rules: the fruit counts as Apple, as a keyword box would', () => {
    const [match] = baseline.match(item('Globex apple privacy', 'an apple a day'));
    expect(match?.companies).toContain('Apple');
  });

  it('ignores items published before the story started, as a bot switched on then would', () => {
    const late = createKeywordBaseline([locationStory({ since: '2024-01-01' })]);
    expect(late.match(item('Globex and Initech', 'privacy', { publishedAt: '2023-05-01T00:00:00Z' }))).toEqual([]);
  });
});
