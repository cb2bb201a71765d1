import { describe, expect, it } from 'vitest';
import { containment } from '../../../src/core/dedupe/near-duplicate.js';
import { createMatcher } from '../../../src/core/matching/match-item.js';
import type { Story } from '../../../src/core/model.js';
import { company, item, locationStory } from './story-fixtures.js';

const onStory = item(
  'Globex shared shoppers’ location data with Initech',
  '<p>Globex gave Initech and <b>RBC</b> location histories through a data-sharing deal. An Initech spokesperson said: &ldquo;We never used the location data.&rdquo;</p>',
  { publishedAt: '2024-03-02T10:00:00Z' },
);

describe('createMatcher', () => {
  it('matches an item on the story with canonical company names, statements and a score', () => {
    const [match] = createMatcher([locationStory()]).match(onStory);
    expect(match?.story).toBe('globex-location');
    expect(match?.companies).toEqual(['Globex', 'Initech', 'Royal Bank of Canada']);
    expect(match?.statements).toEqual([
      { company: 'Initech', quote: 'We never used the location data.', stance: 'denies', cue: "Initech spokesperson said" },
    ]);
    expect(match?.score).toBeGreaterThanOrEqual(4);
  });

  it('explains a match in words: companies as written, story terms, headline, statements', () => {
    const [match] = createMatcher([locationStory()]).match(onStory);
    expect(match?.why).toContain('names Globex, Initech, Royal Bank of Canada (as "RBC")');
    expect(match?.why).toContain('story terms "location data", "location histories", "data-sharing deal"');
    expect(match?.why).toContain('headline has "location data"');
    expect(match?.why).toContain('statement by Initech (denies, from "Initech spokesperson said")');
  });

  it('does not match items published before the story’s "since" (background reporting)', () => {
    const matcher = createMatcher([locationStory({ since: '2024-03-05' })]);
    expect(matcher.match(onStory)).toEqual([]);
    expect(matcher.assess(onStory)[0]?.why).toContain('before the story’s start'.replace('’', "'"));
  });

  it('does not match the same companies in another story (Globex earnings)', () => {
    const earnings = item('Globex beats forecasts', 'Globex reported earnings; Initech too. Location data was not discussed.');
    expect(createMatcher([locationStory()]).match(earnings)).toEqual([]);
  });

  it('treats an item from a company’s own newsroom feed as that company’s statement', () => {
    const post = item('How we worked with Globex', 'Our location data deal with Globex ended in 2015 and we never received location histories.');
    const [match] = createMatcher([locationStory()]).match(post, { kind: 'newsroom', company: 'Initech' });
    expect(match?.statements[0]).toMatchObject({ company: 'Initech', stance: 'denies', cue: 'published in its own newsroom feed' });
    expect(match?.companies).toContain('Initech');
  });

  it('takes a newsroom item’s quoted passage as its quote, so other outlets quoting the same words group with it', () => {
    const post = item(
      'Setting the record straight on location data',
      'Following reporting about our partners, we want to be clear. "Initech never received location histories from Globex, and we never asked for them." We ended the data deal in 2015.',
    );
    const report = item('Initech responds on Globex location data', 'In a statement, Initech said: "Initech never received location histories from Globex, and we never asked for them."');
    const matcher = createMatcher([locationStory()]);
    const fromNewsroom = matcher.match(post, { kind: 'newsroom', company: 'Initech' })[0]?.statements[0];
    const fromOutlet = matcher.match(report)[0]?.statements.find((s) => s.company === 'Initech');
    expect(fromNewsroom).toMatchObject({ company: 'Initech', stance: 'denies', quote: 'Initech never received location histories from Globex, and we never asked for them.' });
    expect(containment(fromNewsroom?.quote ?? '', fromOutlet?.quote ?? '')).toBeGreaterThanOrEqual(0.5);
  });

  it('takes a newsroom item’s lead sentence as its quote when it quotes nothing long (a phrase in quotes is not the message)', () => {
    const post = item('An update on our "partners" programme', 'Our location data deal with Globex ended in 2015. We never received "histories".');
    const [match] = createMatcher([locationStory()]).match(post, { kind: 'newsroom', company: 'Initech' });
    expect(match?.statements[0]?.quote).toBe('Our location data deal with Globex ended in 2015.');
  });

  it('gives a named company’s own response weight: it can lift an item over the threshold', () => {
    const story = locationStory({ threshold: 4.5 });
    const withResponse = item('News in brief', 'Globex location data: Initech said it never received it.');
    const withoutResponse = item('News in brief', 'Globex location data: Initech received it.');
    const matcher = createMatcher([story]);
    expect(matcher.match(withResponse)).toHaveLength(1);
    expect(matcher.match(withoutResponse)).toEqual([]);
  });

  it('matches a follow-up without the story’s core terms when a named company answers for itself', () => {
    const matcher = createMatcher([locationStory({ threshold: 3 })]);
    const answers = item('Globex privacy row widens', 'Globex faces questions. Initech said it never received any of it.');
    const doesNotAnswer = item('Globex privacy row widens', 'Globex faces questions. Initech said it will open a store.');
    const subjectAbsent = item('Privacy row widens', 'Questions mount. Initech said it never received any of it.');
    const aboutTheSubject = item('Globex privacy row widens', 'Globex faces questions. Initech said Globex did not follow its rules.');
    const denies = item('Globex privacy row widens', 'Globex faces questions. Initech denied any part in it.');
    expect(matcher.match(aboutTheSubject)).toEqual([]);
    expect(matcher.match(denies)).toHaveLength(1);
    expect(matcher.match(answers).map((m) => m.story)).toEqual(['globex-location']);
    expect(matcher.match(doesNotAnswer)).toEqual([]);
    expect(matcher.match(subjectAbsent)).toEqual([]);
  });

  it('matches each tracked story on its own terms, from one pass over the item', () => {
    const other: Story = {
      ...locationStory({ slug: 'initech-outage', title: 'Initech outage', summary: 'Initech services were down for hours.', threshold: 3 }),
      companies: [company('Initech', 'subject')],
      vocabulary: { core: ['outage'], related: [], negative: [] },
    };
    const matcher = createMatcher([locationStory(), other]);
    expect(matcher.match(onStory).map((m) => m.story)).toEqual(['globex-location']);
    expect(matcher.match(item('Initech outage hits users', 'The outage lasted hours.')).map((m) => m.story)).toEqual(['initech-outage']);
  });

  it('reads the full content when the feed has it', () => {
    const short = item('Globex news', 'Read more.', { content: '<p>Globex shared location data and location histories with Initech.</p>' });
    expect(createMatcher([locationStory()]).match(short)).toHaveLength(1);
  });

  it('tells why a story did not match when asked', () => {
    const matcher = createMatcher([locationStory()]);
    expect(matcher.assess(item('Globex opens a store', 'Privacy partners.'))[0]?.why).toContain("none of the story's core terms");
    expect(matcher.assess(item('Globex news', 'About location data.'))[0]?.why).toContain('below the threshold');
    expect(matcher.assess(item('Initech location data', 'More later.'))[0]?.why).toContain('does not name Globex');
  });
});
