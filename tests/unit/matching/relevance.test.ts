import { describe, expect, it } from 'vitest';
import { AliasIndex } from '../../../src/core/matching/alias-index.js';
import { assessRelevance, RELEVANCE_WEIGHTS } from '../../../src/core/matching/relevance.js';
import { locationStory } from './story-fixtures.js';

function score(title: string, body = ''): number {
  const story = locationStory();
  const text = `${title}\n${body}`;
  const hits = new AliasIndex([story]).scan(text);
  return assessRelevance(story, 0, hits, text, title.length).score;
}

describe('story relevance', () => {
  it('scores nothing when none of the story’s companies is named, however many story words', () => {
    expect(score('Location data and location histories shared with partners')).toBe(0);
  });

  it('scores nothing without a core term: companies and related words only support a story', () => {
    expect(score('Globex and Initech partners talk privacy')).toBe(0);
  });

  it('scores nothing when the story’s subject company is not named (Initech news without Globex)', () => {
    expect(score('Initech news', 'Initech and RBC shared location histories with partners.')).toBe(0);
  });

  it('lets a headline that leads with a core term stand for the subject when another company of the story is named', () => {
    expect(score('Initech drops location data feature', 'Initech and RBC shared location histories with partners.')).toBeGreaterThan(0);
    expect(score('Location data feature dropped', 'The company shared location histories with partners.')).toBe(0);
  });

  it('scores nothing for a passing mention: the story in one sentence of an item whose headline is about something else', () => {
    expect(score('Weekly tech briefing', 'A new phone launched. Globex shared location data with Initech, a report said. Stocks rose.')).toBe(0);
    expect(score('Weekly tech briefing', 'Globex shared location data with Initech. Initech said it never used the location histories.')).toBeGreaterThan(0);
  });

  it('judges a story configured without core terms on its companies and related terms', () => {
    const story = locationStory({ vocabulary: { core: [], related: ['privacy'], negative: [] } });
    const text = 'Globex and Initech\nPrivacy questions.';
    const hits = new AliasIndex([story]).scan(text);
    expect(assessRelevance(story, 0, hits, text, 18).score).toBe(RELEVANCE_WEIGHTS.subjectCompany + RELEVANCE_WEIGHTS.namedCompany + RELEVANCE_WEIGHTS.related);
  });

  it('lets two named companies with two related terms stand in for a core term', () => {
    expect(score('Globex, Initech and RBC partners face the regulator')).toBeGreaterThan(0);
  });

  it('adds up core terms, a headline bonus, the subject, named companies and the story’s own words', () => {
    const w = RELEVANCE_WEIGHTS;
    // "shared" and "data" are words of the story's title, outside its core terms here.
    expect(score('Globex shared location data', 'Initech received location histories.')).toBe(
      2 * w.core + w.coreInTitle + w.subjectCompany + w.namedCompany + 2 * w.storyWord,
    );
  });

  it('counts a term once however often it is repeated', () => {
    expect(score('Globex location data', 'location data, location data')).toBe(score('Globex location data', ''));
  });

  it('counts a term inside a longer term once, as the longer one', () => {
    const story = locationStory({ vocabulary: { core: ['location data', 'shared location data'], related: [], negative: [] } });
    const text = 'Globex shared location data\n';
    const hits = new AliasIndex([story]).scan(text);
    expect(assessRelevance(story, 0, hits, text, 27).evidence.core).toEqual(['shared location data']);
  });

  it('counts against a neighbouring story’s terms (Globex earnings are another story)', () => {
    const plain = score('Globex location data', 'More detail.');
    expect(score('Globex location data', 'In its quarterly results, more detail.')).toBe(plain + RELEVANCE_WEIGHTS.negative);
  });
});
