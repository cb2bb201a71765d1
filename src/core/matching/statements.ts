// Tells a company's own statement about the story apart from a mention of it: a company (or one of
// its spokespeople) as the speaker of an attribution cue (attribution.ts), its words (quotes.ts) and
// their stance (stance.ts), kept only when they speak to the story. Silence ("did not respond") is
// not a statement.

import type { Statement, Story } from '../model.js';
import type { Hit } from './alias-index.js';
import { isStatementNoun, readAttribution, readReverseAttribution, type CompanyMention } from './attribution.js';
import { readPronounAttributions } from './pronoun-attribution.js';
import { extractQuote, type ExtractedQuote } from './quotes.js';
import { classifyStance } from './stance.js';
import { WordPhrases } from './word-phrases.js';

export type { CompanyMention } from './attribution.js';

export interface StatementContext {
  story: Story;
  storyIndex: number;
  text: string;
  /** This story's hits in the item. */
  hits: readonly Hit[];
  /** text.slice(0, titleEnd) is the headline (0 or absent: not known). */
  titleEnd?: number;
}

/** True when the headline names the company: the item is about what it does and says. */
function inHeadline(context: StatementContext, company: number): boolean {
  const titleEnd = context.titleEnd ?? 0;
  return context.hits.some((hit) => hit.start < titleEnd && hit.entry.kind === 'alias' && hit.entry.company === company);
}

/** Verbs that answer an allegation whatever words follow ("Netflix and Spotify denied it"). */
const RESPONSE_VERBS = /^(?:denied|denies|denying|deny|disputed|disputes|disputing|dispute|rejected|rejects|confirmed|confirms|admitted|admits|acknowledged|acknowledges|conceded|concedes|declined|declines|refused|refuses|responded|responds|responding|replied|replies|answered|answers|defended|defends|countered|counters|(?:pushed|pushes|pushing|hit|hits|fired|fires|struck|strikes) back)$/i;

/** "wrote in a blog post that …": the company's own publication. */
const IN_A_STATEMENT = /\b(?:in|on|via)\s+(?:an?|the|its|their)\s+(?:\w+\s+)?(?:statement|blog post|post|tweet|newsroom)\b/i;

/**
 * A reported clause in which the speaker answers for itself ("said it never accessed", "said they
 * were unaware", "said it has deleted the data"), as opposed to news of its own ("said its bug …").
 */
const SELF_REFERENCE =
  /^(?:it|they|we|(?:the|its|their)\s+(?:company|companies|bank|firm|carrier|airline|retailer|group|network|service|platform|startup|insurer|automaker|carmaker|manufacturer|maker|operator|business))\b/i;
const SELF_DEFENCE_WORDS = new WordPhrases([
  'never', 'not', 'no longer', 'unaware', 'aware', 'deleted', 'stopped', 'ended', 'appropriately', 'permission', 'consent',
  'misused', 'did nothing', 'nothing wrong', 'complied', 'cooperated', 'cooperating', 'cooperate',
]);

function isSelfDefence(words: string): boolean {
  return SELF_REFERENCE.test(words) && SELF_DEFENCE_WORDS.test(words.slice(0, 90));
}

/**
 * Whether a statement speaks to the story rather than to something else the item mentions: not when
 * its clause has a term of a neighbouring story; yes when it quotes the company, answers with a
 * response verb, talks about the company itself, or has a story term or the subject company in it.
 */
function isAboutStory(context: StatementContext, company: number, from: number, to: number, quote: ExtractedQuote, cueWord: string): boolean {
  const clause = context.text.slice(from, to);
  let onTopic =
    quote.quoted ||
    RESPONSE_VERBS.test(cueWord) ||
    isStatementNoun(cueWord) ||
    isSelfDefence(quote.text) ||
    IN_A_STATEMENT.test(clause) ||
    // The headline's company speaking of itself ("the airline was reviewing the order") is the item's subject.
    (inHeadline(context, company) && SELF_REFERENCE.test(quote.text));
  for (const hit of context.hits) {
    if (hit.start < from || hit.end > to) continue;
    const { entry } = hit;
    if (entry.kind === 'term') {
      if (entry.category === 'negative') return false;
      // One word of the story's summary is too weak to tie a statement to it ("said she knew the author").
      if (entry.category !== 'storyWord') onTopic = true;
    } else if (entry.kind === 'alias' && context.story.companies[entry.company]?.role === 'subject') {
      onTopic = true;
    }
  }
  return onTopic;
}

/**
 * A statement that answers the allegation: a response verb ("denied", "declined to comment") or the
 * company defending itself ("said it never …"), not its words about someone else ("said Globex did not …").
 */
export function answersForItself(statement: Statement): boolean {
  const cueWord = /([\p{L}]+)\W*$/u.exec(statement.cue ?? '')?.[1] ?? '';
  return RESPONSE_VERBS.test(cueWord) || isSelfDefence(statement.quote);
}

/** Company mentions of this story, the longest where they overlap. */
export function companyMentions(hits: readonly Hit[]): CompanyMention[] {
  const byStart = new Map<number, CompanyMention>();
  for (const { entry, start, end } of hits) {
    if (entry.kind !== 'alias') continue;
    const existing = byStart.get(start);
    if (!existing || end > existing.end) byStart.set(start, { company: entry.company, start, end });
  }
  const mentions = [...byStart.values()].sort((a, b) => a.start - b.start);
  // Drop mentions nested inside a longer one ("Bank of Canada" inside "Royal Bank of Canada").
  const outermost: CompanyMention[] = [];
  let reach = -1;
  for (const mention of mentions) {
    if (mention.end <= reach) continue;
    outermost.push(mention);
    reach = mention.end;
  }
  return outermost;
}

/** The statements the item carries from the story's companies, one per company (the first found). */
export function findStatements(context: StatementContext): Statement[] {
  const { text } = context;
  const mentions = companyMentions(context.hits);
  const byStart = new Map(mentions.map((m) => [m.start, m]));
  const found = new Map<number, { statement: Statement; quoted: boolean }>();
  for (const mention of mentions) {
    let group: CompanyMention[] = [mention];
    let attribution = readAttribution(text, mention.end, byStart, group);
    if (!attribution) {
      group = [mention];
      attribution = readReverseAttribution(text, mention);
    }
    if (!attribution) continue;
    const cueStart = Math.min(mention.start, attribution.quoteBefore ?? mention.start);
    record(context, found, group, mention.start, cueStart, attribution.cueWord, attribution.cueEnd, attribution.quoteBefore);
  }
  // "It said …", "The company told …" right after a sentence the company opens.
  for (const pronoun of readPronounAttributions(text, mentions)) {
    if (pronoun.speakers.every((speaker) => found.get(speaker.company)?.quoted)) continue;
    record(context, found, pronoun.speakers, pronoun.start, pronoun.start, pronoun.cueWord, pronoun.cueEnd);
  }
  return [...found.values()].map((f) => f.statement);
}

/** Records the statement of each speaker whose words (from `start`) speak to the story; a quotation beats a paraphrase. */
function record(
  context: StatementContext,
  found: Map<number, { statement: Statement; quoted: boolean }>,
  speakers: readonly CompanyMention[],
  start: number,
  cueStart: number,
  cueWord: string,
  cueEnd: number,
  quoteBefore?: number,
): void {
  const { story, text } = context;
  const quote = extractQuote(text, start, cueEnd, cueWord, quoteBefore);
  const clause = text.slice(start, quote.clauseEnd);
  const cue = text.slice(cueStart, cueEnd).trim();
  for (const speaker of speakers) {
    const company = story.companies[speaker.company];
    if (!company) continue;
    if (company.role !== 'subject' && !isAboutStory(context, speaker.company, Math.min(start, quote.clauseStart ?? start), quote.clauseEnd, quote, cueWord)) continue;
    const previous = found.get(speaker.company);
    if (previous && (previous.quoted || !quote.quoted)) continue;
    const statement: Statement = {
      company: company.name,
      quote: quote.text,
      stance: classifyStance(cueWord, quote.text, clause),
      cue: cue.length > 80 ? `${cue.slice(0, 79)}…` : cue,
    };
    found.set(speaker.company, { statement, quoted: quote.quoted });
  }
}
