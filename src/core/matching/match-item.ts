// The matcher: one pass over an item finds every story's companies and terms; each story with any
// hit is scored; stories that pass get their companies, statements and an explanation.

import type { Feed, FeedItem, Statement, Story, StoryMatch } from '../model.js';
import { AliasIndex, type Hit } from './alias-index.js';
import { explainMatch, explainRejection } from './explain.js';
import { itemText } from './item-text.js';
import { assessRelevance, mightBeFollowUp, RELEVANCE_WEIGHTS, rescoreAsFollowUp, scoreRelevance, type RelevanceEvidence } from './relevance.js';
import { classifyStance } from './stance.js';
import { answersForItself, findStatements } from './statements.js';
import { clauseEnd } from '../text/sentences.js';

export interface Matcher {
  match(item: FeedItem, feed?: Pick<Feed, 'kind' | 'company'>): StoryMatch[];
}

/** A story considered for an item, matched or not: what eval and "why not?" questions need. */
export interface StoryAssessment {
  story: string;
  score: number;
  matched: boolean;
  /** Why it matched, or why it did not. */
  why: string;
  match?: StoryMatch;
}

export interface ExplainingMatcher extends Matcher {
  /** Every story the item touched, with the reason it did or did not match. */
  assess(item: FeedItem, feed?: Pick<Feed, 'kind' | 'company'>): StoryAssessment[];
}

/** Items published before a story's `since` are background, not developments (NaN: unknown or unset). */
function isBeforeSince(since: number, published: number): boolean {
  return !Number.isNaN(since) && !Number.isNaN(published) && published < since;
}

/** A quotation this long or longer is the company's message, not a phrase in scare quotes. */
const MIN_NEWSROOM_QUOTE_WORDS = 6;

/** The first quotation of at least a few words in text from `from` on: the words other outlets repeat. */
function firstQuotedPassage(text: string, from: number): string | undefined {
  for (let open = text.indexOf('"', from); open >= 0; ) {
    const close = text.indexOf('"', open + 1);
    if (close < 0) return undefined;
    const passage = text.slice(open + 1, close).trim();
    if (passage.split(/\s+/).length >= MIN_NEWSROOM_QUOTE_WORDS) return passage;
    open = text.indexOf('"', close + 1);
  }
  return undefined;
}

/**
 * A company's newsroom speaks for it: its items are its statements. The quote is the first quoted
 * passage (what outlets repeat, so their reports group with this one), else the lead sentence.
 */
function newsroomStatement(company: string, text: string, titleEnd: number): Statement {
  const bodyStart = titleEnd + 1;
  const passage = bodyStart < text.length ? firstQuotedPassage(text, bodyStart) : undefined;
  const words = passage ?? (bodyStart < text.length ? text.slice(bodyStart, clauseEnd(text, bodyStart, true)) : text.slice(0, titleEnd));
  const quote = words.length > 400 ? `${words.slice(0, 399)}…` : words;
  return { company, quote, stance: classifyStance('', quote, quote), cue: 'published in its own newsroom feed' };
}

function orderedCompanyNames(story: Story, evidence: RelevanceEvidence, statements: readonly Statement[]): string[] {
  const names = evidence.companies.map((index) => story.companies[index]?.name).filter((name): name is string => name !== undefined);
  for (const statement of statements) if (!names.includes(statement.company)) names.push(statement.company);
  return names;
}

export interface MatcherOptions {
  /**
   * Work out companies and statements for stories below their threshold too (assess() returns them
   * with matched: false), so evaluation can try other thresholds without re-running.
   */
  assessBelowThreshold?: boolean;
}

export function createMatcher(stories: Story[], options: MatcherOptions = {}): ExplainingMatcher {
  const index = new AliasIndex(stories);
  const sinceOf = stories.map((story) => (story.since ? Date.parse(story.since) : Number.NaN));
  const anyStoryHasSince = sinceOf.some((since) => !Number.isNaN(since));
  // When every story has a start, an item older than all of them cannot match any: match() skips it.
  const earliestSince = sinceOf.some((since) => Number.isNaN(since)) ? Number.NaN : Math.min(...sinceOf);
  const newsroomStories = new Map<string, number[]>();
  stories.forEach((story, storyIndex) => {
    for (const company of story.companies) newsroomStories.set(company.name, [...(newsroomStories.get(company.name) ?? []), storyIndex]);
  });

  /** `explainRejections`: spell out why a story did not match (assess() does; match() skips the cost). */
  function assessStory(
    storyIndex: number,
    hits: Hit[],
    text: string,
    titleEnd: number,
    published: number,
    feed: Pick<Feed, 'kind' | 'company'> | undefined,
    explainRejections: boolean,
  ): StoryAssessment {
    const story = stories[storyIndex] as Story;
    if (isBeforeSince(sinceOf[storyIndex] as number, published)) {
      return { story: story.slug, score: 0, matched: false, why: `published before the story's start (${story.since})` };
    }
    const relevance = assessRelevance(story, storyIndex, hits, text, titleEnd);
    const newsroomCompany = feed?.kind === 'newsroom' && feed.company ? story.companies.findIndex((c) => c.name === feed.company) : -1;
    if (newsroomCompany >= 0 && !relevance.evidence.companies.includes(newsroomCompany)) {
      relevance.evidence.companies.push(newsroomCompany);
      relevance.score = scoreRelevance(story, relevance.evidence);
    }
    // Statements are looked for only where they can change the outcome or will be reported.
    const followUp = relevance.score === 0 && mightBeFollowUp(story, relevance.evidence);
    const couldPass = followUp || relevance.score + RELEVANCE_WEIGHTS.namedCompanyStatement >= story.threshold;
    let statements = couldPass || options.assessBelowThreshold ? findStatements({ story, storyIndex, text, hits, titleEnd }) : [];
    if (followUp && statements.some((s) => story.companies.find((c) => c.name === s.company)?.role === 'named' && answersForItself(s))) {
      rescoreAsFollowUp(story, storyIndex, relevance, hits, text, titleEnd);
    }
    const namedCompanyResponds = statements.some((s) => story.companies.find((c) => c.name === s.company)?.role === 'named');
    if (namedCompanyResponds && relevance.score > 0) {
      relevance.score += RELEVANCE_WEIGHTS.namedCompanyStatement;
      relevance.evidence.namedCompanyResponds = true;
    }
    const passes = relevance.score >= story.threshold;
    if (!passes && !options.assessBelowThreshold) {
      const why = explainRejections ? explainRejection(story, relevance.score, relevance.evidence) : '';
      return { story: story.slug, score: relevance.score, matched: false, why };
    }
    const newsroomName = newsroomCompany >= 0 ? story.companies[newsroomCompany]?.name : undefined;
    if (newsroomName) {
      statements = [newsroomStatement(newsroomName, text, titleEnd), ...statements.filter((s) => s.company !== newsroomName)];
    }
    const match: StoryMatch = {
      story: story.slug,
      score: relevance.score,
      companies: orderedCompanyNames(story, relevance.evidence, statements),
      statements,
      why: explainMatch(story, relevance.score, relevance.evidence, statements),
    };
    const why = passes ? match.why : explainRejection(story, relevance.score, relevance.evidence);
    return { story: story.slug, score: relevance.score, matched: passes, why, match };
  }

  function assessAll(item: FeedItem, feed: Pick<Feed, 'kind' | 'company'> | undefined, explainRejections: boolean): StoryAssessment[] {
    const { text, titleEnd } = itemText(item);
    const hitsByStory = new Map<number, Hit[]>();
    for (const hit of index.scan(text)) {
      const list = hitsByStory.get(hit.entry.story);
      if (list) list.push(hit);
      else hitsByStory.set(hit.entry.story, [hit]);
    }
    if (feed?.kind === 'newsroom' && feed.company) {
      for (const storyIndex of newsroomStories.get(feed.company) ?? []) if (!hitsByStory.has(storyIndex)) hitsByStory.set(storyIndex, []);
    }
    const published = anyStoryHasSince && item.publishedAt ? Date.parse(item.publishedAt) : Number.NaN;
    const assessments: StoryAssessment[] = [];
    for (const [storyIndex, hits] of hitsByStory) assessments.push(assessStory(storyIndex, hits, text, titleEnd, published, feed, explainRejections));
    return assessments;
  }

  return {
    assess: (item, feed) => assessAll(item, feed, true),
    match(item, feed) {
      if (!Number.isNaN(earliestSince) && item.publishedAt && Date.parse(item.publishedAt) < earliestSince) return [];
      const matches: StoryMatch[] = [];
      for (const assessment of assessAll(item, feed, false)) if (assessment.matched && assessment.match) matches.push(assessment.match);
      return matches;
    },
  };
}
