// Stories built in code for the matching tests: a fictional story, so no test leans on the corpus.
import type { Alias, Company, Story } from '../../../src/core/model.js';

export function alias(text: string, caseSensitive = false, negativeContexts: string[] = []): Alias {
  return { text, caseSensitive, negativeContexts };
}

export function company(name: string, role: Company['role'] = 'named', aliases: Alias[] = []): Company {
  return { name, id: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'), role, aliases: [alias(name), ...aliases] };
}

/** "Globex shared shoppers' location data with partners", with Initech and Apple as partners. */
export function locationStory(overrides: Partial<Story> = {}): Story {
  return {
    slug: 'globex-location',
    title: 'Globex shared location data with partners',
    summary: 'Globex gave partners access to shoppers’ location histories.',
    reporting: [],
    channels: {},
    threshold: 4,
    companies: [
      company('Globex', 'subject', [alias('GBX', true), alias('Hank Scorpio')]),
      company('Initech'),
      company('Apple', 'named', [alias('Apple', true, ['pie', 'orchard'])]),
      company('Amazon', 'named', [alias('Amazon', true, ['rainforest', 'river'])]),
      company('Royal Bank of Canada', 'named', [alias('RBC', true)]),
    ],
    vocabulary: {
      core: ['location data', 'location histories', 'data-sharing deal*'],
      related: ['privacy', 'partners', 'regulator'],
      negative: ['earnings', 'quarterly results'],
    },
    ...overrides,
  };
}

export function item(title: string, summary = '', extra: Partial<import('../../../src/core/model.js').FeedItem> = {}) {
  return { feedId: 'test-feed', key: `${title}|${summary}`, title, summary, ...extra };
}
