import { describe, expect, it } from 'vitest';
import { createMatcher } from '../../../src/core/matching/match-item.js';
import type { Statement } from '../../../src/core/model.js';
import { item, locationStory } from './story-fixtures.js';

// A low threshold keeps every fixture item on the story, so only the statement rules are under test.
const matcher = createMatcher([locationStory({ threshold: 0.5 })]);

/** Statements of the partners (not the subject) in an item that is on the story. */
function statementsIn(sentence: string): Pick<Statement, 'company' | 'stance' | 'quote'>[] {
  const [match] = matcher.match(item('Globex shared location data with partners', `Globex location data deal; partners got location histories. ${sentence}`));
  if (!match) throw new Error('the fixture item should match the story');
  return match.statements.filter((s) => s.company !== 'Globex').map(({ company, stance, quote }) => ({ company, stance, quote }));
}

describe('statements: who said something about the story', () => {
  it('attributes "X said in a statement" and keeps the reported words', () => {
    expect(statementsIn('Initech said in a statement that it never received location data.')).toEqual([
      { company: 'Initech', stance: 'denies', quote: 'it never received location data.' },
    ]);
  });

  it('attributes a spokesperson’s quotation, whether it comes before or after the cue', () => {
    expect(statementsIn('"We never saw location histories," an Initech spokeswoman told Reuters.')).toEqual([
      { company: 'Initech', stance: 'denies', quote: 'We never saw location histories' },
    ]);
    expect(statementsIn('"We never saw location histories," said Initech spokesman Bob Slydell.')).toEqual([
      { company: 'Initech', stance: 'denies', quote: 'We never saw location histories' },
    ]);
    expect(statementsIn('Initech spokesman Bob Slydell said: "We take privacy seriously."')).toEqual([
      { company: 'Initech', stance: 'other', quote: 'We take privacy seriously.' },
    ]);
  });

  it('attributes the words after "according to an X spokesperson,"', () => {
    expect(statementsIn('According to an Initech spokesperson, the company never used location histories.')).toEqual([
      { company: 'Initech', stance: 'denies', quote: 'the company never used location histories.' },
    ]);
  });

  it('attributes a quotation after "said in a statement:" and a blog post the company wrote', () => {
    expect(statementsIn('Initech said in a statement: "We never received location histories."')).toEqual([
      { company: 'Initech', stance: 'denies', quote: 'We never received location histories.' },
    ]);
    expect(statementsIn('In a blog post, Initech wrote that it never received location histories.')).toEqual([
      { company: 'Initech', stance: 'denies', quote: 'it never received location histories.' },
    ]);
  });

  it('reads a response relayed by the item ("told the Times it deleted the data")', () => {
    expect(statementsIn('Initech told the Times it deleted the location data.')).toEqual([
      { company: 'Initech', stance: 'other', quote: 'it deleted the location data.' },
    ]);
  });

  it('gives every company of a list its statement ("Apple, Amazon and Initech said")', () => {
    expect(statementsIn('Apple, Amazon and Initech said they used the data appropriately.').map((s) => s.company)).toEqual(['Apple', 'Amazon', 'Initech']);
  });

  it('reads a list that ends with a company the story does not track ("Apple, Initech and Hooli said")', () => {
    expect(statementsIn('Apple, Initech and Hooli said they used the data appropriately.').map((s) => s.company)).toEqual(['Apple', 'Initech']);
    expect(statementsIn('Initech and Hooli said they never received location histories.').map((s) => s.company)).toEqual(['Initech']);
    expect(statementsIn('Initech and partners said they never received location histories.')).toEqual([]);
  });

  it('attributes "It said …" and "The company told …" to the company that opens the sentence before', () => {
    expect(statementsIn('Initech built the app in 2014. It said the location data stopped in 2015.')).toEqual([
      { company: 'Initech', stance: 'other', quote: 'the location data stopped in 2015.' },
    ]);
    expect(statementsIn('Initech built the app. The company denied using location histories.')[0]?.stance).toBe('denies');
    expect(statementsIn('Initech and Apple were named. They said they were unaware of the location data.').map((s) => s.company)).toEqual(['Initech', 'Apple']);
  });

  it('does not guess whom a pronoun means when the sentence before opens with someone else, or the number disagrees', () => {
    expect(statementsIn('Regulators wrote to Initech. It said the location data stopped in 2015.')).toEqual([]);
    expect(statementsIn('Initech built the app. They said the location data stopped in 2015.')).toEqual([]);
    expect(statementsIn('Initech and Apple were named. It said the location data stopped in 2015.')).toEqual([]);
  });

  it('attributes a person’s words to the company their title names ("Bill Lumbergh, Initech’s director of privacy, said")', () => {
    expect(statementsIn("Bill Lumbergh, Initech's director of privacy, said the location histories were deleted.")).toEqual([
      { company: 'Initech', stance: 'other', quote: 'the location histories were deleted.' },
    ]);
    expect(statementsIn('Bill Lumbergh, a vice president at Initech, said the location histories were deleted.').map((s) => s.company)).toEqual(['Initech']);
    expect(statementsIn('Bill Lumbergh, a former Initech director, said the location histories were deleted.')).toEqual([]);
    expect(statementsIn('Bill Lumbergh, who sued Initech, said the location histories were deleted.')).toEqual([]);
  });

  it('hears "pushed back" and "hit back" as denials of the story', () => {
    expect(statementsIn('Initech pushed back on the report, saying it never shared histories.')).toEqual([
      { company: 'Initech', stance: 'denies', quote: 'it never shared histories.' },
    ]);
    expect(statementsIn('Initech hit back at the claims.')[0]?.stance).toBe('denies');
  });

  it('leaves when the company spoke and a leading "saying" out of its words', () => {
    expect(statementsIn('Initech said Tuesday that it never saw location histories.')[0]?.quote).toBe('it never saw location histories.');
    expect(statementsIn('Initech said on Monday it never saw location histories.')[0]?.quote).toBe('it never saw location histories.');
    expect(statementsIn('Initech issued a statement saying it never saw location histories.')[0]?.quote).toBe('it never saw location histories.');
    expect(statementsIn('Initech said the location data was deleted, saying nothing else.')[0]?.quote).toBe('the location data was deleted, saying nothing else.');
  });

  it('skips a relative clause between the company and its verb', () => {
    expect(statementsIn('Initech, which built the app, said it stopped receiving the data in 2017.').map((s) => s.company)).toEqual(['Initech']);
  });

  it('skips a short aside between commas: an appositive or "in a statement"', () => {
    expect(statementsIn("RBC, Canada's largest bank, said it never had access to location histories.")).toEqual([
      { company: 'Royal Bank of Canada', stance: 'denies', quote: 'it never had access to location histories.' },
    ]);
    expect(statementsIn('Initech, in a statement, said it was unaware of the location data.').map((s) => s.company)).toEqual(['Initech']);
    expect(statementsIn('Initech, according to the Times, received location histories.')).toEqual([]);
  });

  it('starts the reported words after whom the company told ("confirmed to the Verge that")', () => {
    expect(statementsIn('Initech confirmed to the Verge that it had received location data.')[0]?.quote).toBe('it had received location data.');
  });

  it('reads the words before "…, Initech said." and judges them, not the bare cue, for being about the story', () => {
    expect(statementsIn('The location data was deleted in 2017, Initech said.')).toEqual([
      { company: 'Initech', stance: 'other', quote: 'The location data was deleted in 2017' },
    ]);
    expect(statementsIn('Store sales rose in 2017, Initech said.')).toEqual([]);
  });

  it('reads "according to a statement from X" and "X: \\"…\\""', () => {
    expect(statementsIn('According to a statement from Initech, the data was never used.')).toEqual([
      { company: 'Initech', stance: 'denies', quote: 'the data was never used.' },
    ]);
    expect(statementsIn('Initech: "We did nothing wrong."')).toEqual([{ company: 'Initech', stance: 'denies', quote: 'We did nothing wrong.' }]);
  });

  it('reads quotations in other languages’ quotation marks, after a cue or a colon', () => {
    expect(statementsIn('Initech : « Nous n’avons jamais reçu de location data. »')).toEqual([
      { company: 'Initech', stance: 'denies', quote: "Nous n'avons jamais reçu de location data." },
    ]);
    expect(statementsIn('Initech said: „Wir haben nie location data erhalten.“')).toEqual([
      { company: 'Initech', stance: 'other', quote: 'Wir haben nie location data erhalten.' },
    ]);
    expect(statementsIn('Initech said 「we never received location data」.')[0]?.quote).toBe('we never received location data');
  });

  it('reads a headline quotation in single quotation marks', () => {
    expect(statementsIn("Initech says 'we never saw location histories'")).toEqual([
      { company: 'Initech', stance: 'denies', quote: 'we never saw location histories' },
    ]);
  });

  it('records a refusal as a statement with the stance "declines"', () => {
    expect(statementsIn('Initech declined to comment.')).toEqual([{ company: 'Initech', stance: 'declines', quote: 'declined to comment.' }]);
  });

  it('records "refused to comment" like "declined to comment", but not a refusal to do something else', () => {
    expect(statementsIn('Initech refused to comment.')).toEqual([{ company: 'Initech', stance: 'declines', quote: 'refused to comment.' }]);
    expect(statementsIn('Initech refused to share the location data.')).toEqual([]);
  });

  it('hears a denial in the words when the verb is neutral ("said it had no idea")', () => {
    expect(statementsIn('Initech said it had no idea Globex gave it location histories.')[0]?.stance).toBe('denies');
  });

  it('takes the stance from the verb: denied → denies, confirmed → confirms', () => {
    expect(statementsIn('Initech denied wrongdoing.')[0]?.stance).toBe('denies');
    expect(statementsIn('Initech confirmed it had access to the location data.')[0]?.stance).toBe('confirms');
  });

  it('does not count silence as a statement', () => {
    expect(statementsIn('Initech did not respond to a request for comment.')).toEqual([]);
    expect(statementsIn('Initech has not commented on the report.')).toEqual([]);
    expect(statementsIn('Initech could not be reached for comment.')).toEqual([]);
  });

  it('does not count a mention, a rumour or someone else’s words about the company', () => {
    expect(statementsIn('Initech is said to have received location data.')).toEqual([]);
    expect(statementsIn('The app made by Initech, analysts said, used the data.')).toEqual([]);
    expect(statementsIn('Regulators said Initech received location histories.')).toEqual([]);
    expect(statementsIn("According to Initech's privacy policy, location histories are kept.")).toEqual([]);
  });

  it('does not count a statement about something else in the same item (Apple on a FaceTime bug)', () => {
    expect(statementsIn('Apple said its FaceTime bug would be fixed next week.')).toEqual([]);
  });

  it('does not count a statement whose clause belongs to a neighbouring story', () => {
    expect(statementsIn('Initech said quarterly results would beat forecasts.')).toEqual([]);
  });

  it('does not read an attribution across the break between headline and summary', () => {
    const [match] = matcher.match(item('How Hooli worked with Initech', 'Hooli explains its location data deal with Globex.'));
    expect(match?.statements.map((s) => s.company)).toEqual([]);
  });

  it('does not take a headline-style "Company: claim" without quotation marks as a statement', () => {
    expect(statementsIn('Initech: partners got location histories')).toEqual([]);
  });

  it('attributes a spokesperson’s words to the company they speak for', () => {
    const story = locationStory({ threshold: 0.5 });
    const withSpokesperson = { ...story, companies: story.companies.map((c) => (c.name === 'Initech' ? { ...c, spokespeople: ['Bill Lumbergh'] } : c)) };
    const [match] = createMatcher([withSpokesperson]).match(item('Globex location data', 'Bill Lumbergh said the location histories were deleted.'));
    expect(match?.statements.map((s) => s.company)).toEqual(['Initech']);
  });

  it('attributes a statement of the story’s subject company even on side topics', () => {
    const [match] = matcher.match(item('Globex shared location data with partners', 'Globex said it is reviewing the complaint.'));
    expect(match?.statements.map((s) => s.company)).toEqual(['Globex']);
  });
});
