import { describe, expect, it } from 'vitest';
import { AliasIndex } from '../../../src/core/matching/alias-index.js';
import { createMatcher } from '../../../src/core/matching/match-item.js';
import { deriveStoryTerms, stemWord } from '../../../src/core/matching/story-terms.js';
import { item, locationStory } from './story-fixtures.js';

const texts = (patterns: { text: string }[]): string[] => patterns.map((p) => p.text);

describe('story terms derived from the story’s own title and summary', () => {
  it('stems a word so its other forms match as a prefix', () => {
    expect(stemWord('messages')).toBe('messag');
    expect(stemWord('messaging')).toBe('messag');
    expect(stemWord('access')).toBe('access');
    expect(stemWord('data')).toBe('data');
  });

  it('takes content words and adjacent pairs, leaving out stop words, news words and company names', () => {
    const story = locationStory({ title: 'Globex shared location data with partners', summary: 'Regulators said Globex sold it.', vocabulary: { core: [], related: [], negative: [] } });
    const { words, phrases } = deriveStoryTerms(story);
    expect(texts(words)).toEqual(expect.arrayContaining(['shar', 'location', 'data', 'partner', 'regulator']));
    expect(texts(words)).not.toContain('globex');
    expect(texts(words)).not.toContain('said');
    expect(texts(words)).not.toContain('with');
    expect(texts(phrases)).toEqual(expect.arrayContaining(['shared location', 'location data']));
    // "with" stands between "data" and "partners": no phrase.
    expect(texts(phrases)).not.toContain('data partner');
  });

  it('does not repeat a term the editor listed', () => {
    const story = locationStory({ title: 'Globex location data', summary: '' });
    expect(texts(deriveStoryTerms(story).phrases)).not.toContain('location data');
  });

  it('finds the story’s words in an item in any of their forms', () => {
    const story = locationStory({ title: 'Globex shared location data with partners', summary: '' });
    const hits = new AliasIndex([story]).scan('Globex is sharing data with its partnership network');
    const derived = hits.flatMap((h) => (h.entry.kind === 'term' && h.entry.category === 'storyWord' ? [h.entry.term] : []));
    expect(derived).toEqual(expect.arrayContaining(['shar', 'partner']));
  });

  it('lets a story written without a vocabulary match reporting that uses its words, and not other news of its companies', () => {
    const story = locationStory({
      title: 'Globex sold shoppers’ location histories to advertisers',
      summary: 'Globex sold the location histories of millions of shoppers to advertisers, including Initech.',
      vocabulary: { core: [], related: [], negative: [] },
      threshold: 3,
    });
    const matcher = createMatcher([story]);
    const onStory = item('Globex under fire over sale of location histories', 'Shoppers’ location data went to advertisers such as Initech.');
    const offStory = item('Globex opens a new store in Ohio', 'Globex said the store will employ 200 people.');
    expect(matcher.match(onStory)).toHaveLength(1);
    expect(matcher.match(offStory)).toEqual([]);
    expect(matcher.match(onStory)[0]?.why).toContain('echoes the story’s own words'.replace('’', "'"));
  });
});
