// How strongly an item is about a story: a small, explainable score from the story's vocabulary and
// companies. The weights are generic; each story tunes its own terms and threshold in config.

import type { Story } from '../model.js';
import type { Hit } from './alias-index.js';
import { clauseEnd, sentenceStart } from '../text/sentences.js';
import { isWordCharAt } from '../text/tokens.js';

/** Points per distinct term or company; see docs/matching.md for how to tune a story around them. */
export const RELEVANCE_WEIGHTS = {
  core: 2,
  /** At most this many core terms count (a long article repeats itself). */
  maxCore: 4,
  related: 1,
  /** Related terms and derived words together count at most this much. */
  maxSupport: 3,
  /** A core term in the headline means the item leads with the story. */
  coreInTitle: 1,
  subjectCompany: 1,
  namedCompany: 0.5,
  maxNamedCompanies: 4,
  negative: -3,
  /** A named company's own statement: the story is about who responds, so a response is evidence. */
  namedCompanyStatement: 1,
  /** Derived from the story's own title and summary (story-terms.ts): weaker than the editor's vocabulary. */
  storyPhrase: 1,
  maxStoryPhrases: 3,
  storyWord: 0.5,
} as const;

export interface RelevanceEvidence {
  core: string[];
  related: string[];
  negative: string[];
  coreInTitle: string[];
  /** Phrases and words of the story's own title and summary, as written in the item. */
  storyPhrase: string[];
  storyWord: string[];
  /**
   * The headline has none of the story and all of it stands in one sentence of a longer body: the
   * story is context for something else (a passing mention).
   */
  passingMention?: boolean;
  /** A named (not subject) company's own statement was found and counted. */
  namedCompanyResponds?: boolean;
  /**
   * A named company answers for itself (denies, confirms, declines, "said they used the data
   * appropriately"): a follow-up on the story, even in words the story file does not list.
   */
  namedCompanyAnswers?: boolean;
  /** Indexes into story.companies of the companies named in the item. */
  companies: number[];
  /** The alias texts as written in the item, per company index. */
  aliasesSeen: Map<number, string[]>;
}

export interface Relevance {
  score: number;
  evidence: RelevanceEvidence;
}

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

function wordEnd(text: string, from: number): number {
  let end = from;
  while (isWordCharAt(text, end)) end++;
  return end;
}

/**
 * The term hits not covered by a longer term hit ("private messages" in "read private messages").
 * Hits come in order of where they end, so one backward sweep, keeping the earliest start among the
 * hits that end later, finds them (hits with the same span stand or fall together).
 */
function outermostTerms(termHits: readonly Hit[]): Hit[] {
  if (termHits.length < 2) return [...termHits];
  const kept: Hit[] = [];
  let earliestStartEndingLater = Number.POSITIVE_INFINITY;
  for (let i = termHits.length - 1; i >= 0; ) {
    const end = (termHits[i] as Hit).end;
    let groupStart = i;
    let groupEarliest = Number.POSITIVE_INFINITY;
    while (groupStart >= 0 && (termHits[groupStart] as Hit).end === end) {
      groupEarliest = Math.min(groupEarliest, (termHits[groupStart] as Hit).start);
      groupStart--;
    }
    for (let k = i; k > groupStart; k--) {
      const hit = termHits[k] as Hit;
      if (earliestStartEndingLater > hit.start && groupEarliest >= hit.start) kept.push(hit);
    }
    earliestStartEndingLater = Math.min(earliestStartEndingLater, groupEarliest);
    i = groupStart;
  }
  return kept.reverse();
}

/** Every hit of the story inside one sentence of the body, none in the headline, and more body besides. */
function isPassingMention(storyIndex: number, hits: readonly Hit[], text: string, titleEnd: number): boolean {
  let first: Hit | undefined;
  let lastEnd = 0;
  for (const hit of hits) {
    if (hit.entry.story !== storyIndex || (hit.entry.kind === 'term' && hit.entry.category === 'negative')) continue;
    if (hit.start < titleEnd) return false;
    if (!first || hit.start < first.start) first = hit;
    lastEnd = Math.max(lastEnd, hit.end);
  }
  if (!first) return false;
  const start = sentenceStart(text, first.start);
  const end = clauseEnd(text, start, true);
  if (lastEnd > end) return false;
  const bodyStart = titleEnd + 1;
  return /[\p{L}\p{N}]/u.test(text.slice(bodyStart, Math.max(bodyStart, start))) || /[\p{L}\p{N}]/u.test(text.slice(end));
}

/**
 * Gathers the story's evidence from the hits of one item (hits of other stories are skipped). A term
 * inside a longer term counts once, as the longer one.
 */
export function gatherEvidence(storyIndex: number, hits: readonly Hit[], text: string, titleEnd: number): RelevanceEvidence {
  const evidence: RelevanceEvidence = { core: [], related: [], negative: [], coreInTitle: [], storyPhrase: [], storyWord: [], companies: [], aliasesSeen: new Map() };
  let derivedSeen: Set<string> | undefined; // only items with a derived hit need it
  const termHits: Hit[] = [];
  for (const hit of hits) {
    const { entry } = hit;
    if (entry.story !== storyIndex) continue;
    if (entry.kind === 'term') {
      termHits.push(hit);
    } else if (entry.kind === 'alias') {
      if (!evidence.companies.includes(entry.company)) evidence.companies.push(entry.company);
      const seen = evidence.aliasesSeen.get(entry.company) ?? [];
      pushUnique(seen, text.slice(hit.start, hit.end));
      evidence.aliasesSeen.set(entry.company, seen);
    }
  }
  for (const hit of outermostTerms(termHits)) {
    const { entry } = hit;
    if (entry.kind !== 'term') continue;
    if (entry.category === 'storyPhrase' || entry.category === 'storyWord') {
      // A stem is shown as the word the item wrote; a stem counts once however it is written.
      derivedSeen ??= new Set();
      if (derivedSeen.has(entry.term)) continue;
      derivedSeen.add(entry.term);
      evidence[entry.category].push(text.slice(hit.start, entry.prefix ? wordEnd(text, hit.end) : hit.end));
      continue;
    }
    pushUnique(evidence[entry.category], entry.term);
    if (entry.category === 'core' && hit.start < titleEnd) pushUnique(evidence.coreInTitle, entry.term);
  }
  return evidence;
}

/**
 * The score of the evidence. An item naming none of the story's companies scores 0; so does one that
 * does not name its subject company (when the story has one), and one with none of its core terms
 * unless it names two of its other companies with two related terms: companies and related words
 * support a story the item is visibly about, they do not make one.
 */
export function scoreRelevance(story: Story, evidence: RelevanceEvidence): number {
  if (evidence.companies.length === 0 || evidence.passingMention) return 0;
  const w = RELEVANCE_WEIGHTS;
  let subjects = 0;
  let named = 0;
  for (const index of evidence.companies) {
    if (story.companies[index]?.role === 'subject') subjects++;
    else named++;
  }
  // A story about a company (its subject) is not reported without naming it, unless the headline
  // leads with a core term of the story and one of its other companies is named ("Southwest pulls
  // 737 Max jets": the product stands for its maker).
  const leadsWithStory = evidence.coreInTitle.length > 0 && named > 0;
  if (subjects === 0 && !leadsWithStory && story.companies.some((company) => company.role === 'subject')) return 0;
  // (A story configured without core terms is judged on its companies and related terms alone.)
  const hasCoreTerms = story.vocabulary.core.length > 0;
  // Without a core term or a phrase of the story, the item needs supporting words (the editor's
  // related terms, the story's own words) and, for fewer than three, companies of the story with them.
  const support = evidence.related.length + evidence.storyWord.length;
  const pointsAtStory =
    evidence.core.length > 0 ||
    evidence.storyPhrase.length > 0 ||
    (named >= 1 && support >= 3) ||
    (named >= 2 && support >= 2) ||
    support >= 4 ||
    (evidence.namedCompanyAnswers === true && subjects > 0 && support >= 1);
  if (hasCoreTerms && !pointsAtStory) return 0;
  const score =
    w.core * Math.min(evidence.core.length, w.maxCore) +
    Math.min(w.related * evidence.related.length + w.storyWord * evidence.storyWord.length, w.maxSupport) +
    (evidence.coreInTitle.length > 0 ? w.coreInTitle : 0) +
    (subjects > 0 ? w.subjectCompany : 0) +
    w.namedCompany * Math.min(named, w.maxNamedCompanies) +
    w.storyPhrase * Math.min(evidence.storyPhrase.length, w.maxStoryPhrases) +
    w.negative * evidence.negative.length;
  return Math.round(score * 100) / 100;
}

/**
 * True when the item names the subject and another company with a supporting word but none of the
 * story's core terms or phrases: only a named company answering for itself could make it a follow-up.
 */
export function mightBeFollowUp(story: Story, evidence: RelevanceEvidence): boolean {
  if (evidence.passingMention || evidence.core.length > 0 || evidence.storyPhrase.length > 0) return false;
  if (evidence.related.length + evidence.storyWord.length === 0) return false;
  let subject = false;
  let named = false;
  for (const index of evidence.companies) {
    if (story.companies[index]?.role === 'subject') subject = true;
    else named = true;
  }
  return subject && named;
}

/** Scores the item again as a follow-up, once a named company is found answering for itself. */
export function rescoreAsFollowUp(story: Story, storyIndex: number, relevance: Relevance, hits: readonly Hit[], text: string, titleEnd: number): void {
  relevance.evidence.namedCompanyAnswers = true;
  relevance.score = scoreRelevance(story, relevance.evidence);
  if (relevance.score > 0 && isPassingMention(storyIndex, hits, text, titleEnd)) {
    relevance.evidence.passingMention = true;
    relevance.score = 0;
  }
}

export function assessRelevance(story: Story, storyIndex: number, hits: readonly Hit[], text: string, titleEnd: number): Relevance {
  const evidence = gatherEvidence(storyIndex, hits, text, titleEnd);
  let score = scoreRelevance(story, evidence);
  // Checked only for items that score: most items touch a story through one company name and stop.
  if (score > 0 && isPassingMention(storyIndex, hits, text, titleEnd)) {
    evidence.passingMention = true;
    score = 0;
  }
  return { score, evidence };
}
