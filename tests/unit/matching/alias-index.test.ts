import { describe, expect, it } from 'vitest';
import { AliasIndex, effectiveAliases } from '../../../src/core/matching/alias-index.js';
import type { Story } from '../../../src/core/model.js';
import { alias, company, locationStory } from './story-fixtures.js';

function companiesIn(stories: Story[], text: string): string[] {
  const index = new AliasIndex(stories);
  const names: string[] = [];
  for (const { entry } of index.scan(text)) {
    if (entry.kind !== 'alias') continue;
    const name = stories[entry.story]?.companies[entry.company]?.name ?? '?';
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

describe('AliasIndex company recognition', () => {
  const story = locationStory();

  it('recognises a company by any alias and reports its canonical name', () => {
    expect(companiesIn([story], 'RBC and GBX signed')).toEqual(['Royal Bank of Canada', 'Globex']);
  });

  it('matches whole words only', () => {
    expect(companiesIn([story], 'Globexia and Initechnology are other firms')).toEqual([]);
  });

  it('recognises possessives with straight and curly apostrophes', () => {
    expect(companiesIn([story], "Initech's app and Globex’s data")).toEqual(['Initech', 'Globex']);
  });

  it('counts Apple the company, not the fruit: case-sensitive aliases need their exact case', () => {
    expect(companiesIn([story], 'an apple a day')).toEqual([]);
    expect(companiesIn([story], 'Apple said')).toEqual(['Apple']);
  });

  it('counts a case-sensitive alias in an all-capitals headline, but not shouted inside a normal sentence', () => {
    expect(companiesIn([story], 'APPLE SAYS IT NEVER SAW THE DATA')).toEqual(['Apple']);
    expect(companiesIn([story], 'the new APPLE acronym stands for something else')).toEqual([]);
  });

  it('drops an alias near one of its negative contexts (Amazon the river, Apple the pie)', () => {
    expect(companiesIn([story], 'Fires in the Amazon rainforest spread')).toEqual([]);
    expect(companiesIn([story], 'Grandma’s Apple pie recipe')).toEqual([]);
    expect(companiesIn([story], 'Amazon shipped the parcel')).toEqual(['Amazon']);
  });

  it('lets a stricter alias win over the plain canonical name listed for the same word', () => {
    const aliases = [alias('Amazon'), alias('Amazon', true, ['river'])];
    expect(effectiveAliases(aliases)).toEqual([alias('Amazon', true, ['river'])]);
  });

  it('serves every story from one automaton: a shared alias hits each story that lists it', () => {
    const other: Story = { ...locationStory({ slug: 'other' }), companies: [company('Initech', 'subject')] };
    const index = new AliasIndex([story, other]);
    const stories = index.scan('Initech said').map((hit) => hit.entry.story);
    expect(stories.sort()).toEqual([0, 1]);
  });

  it('matches vocabulary terms with a trailing * as prefixes', () => {
    const index = new AliasIndex([story]);
    const terms = index
      .scan('two data-sharing deals')
      .map((h) => (h.entry.kind === 'term' && h.entry.category === 'core' ? h.entry.term : ''))
      .filter((term) => term !== '');
    expect(terms).toEqual(['data-sharing deal']);
  });
});

describe('negative contexts', () => {
  it('match whole words, any case, with a hyphen standing for a space', () => {
    const story = locationStory({ companies: [company('Globex', 'subject', [alias('Apple', true, ['big apple', 'pie'])])] });
    expect(companiesIn([story], 'The Big-Apple show')).toEqual([]);
    expect(companiesIn([story], 'Apple sells pies and Apple said')).toEqual(['Globex']);
  });
});
