// Weak story terms derived from the story's own words: its title, summary and the titles of its
// reporting. A story written in a few lines (no vocabulary, or a short one) still says what it is
// about; these terms let reporting that uses the same words be recognised, at a lower weight than the
// editor's own vocabulary.

import type { Story } from '../model.js';
import { normaliseText } from '../text/normalise.js';
import { foldCase } from '../text/tokens.js';

/** Words that say nothing about what a story is: function words and the stock words of news. */
const STOPWORDS = new Set(
  (
    'a about above after again against all almost also although always am among an and another any are around as at be ' +
    'became because been before being below between both but by can could did do does doing done down during each either ' +
    'even ever every few for from further had has have having he her here hers him his how however i if in into is it its ' +
    'itself just least less like made make makes many may me might more most much must my near neither no nor not now of ' +
    'off often on once one only or other others our ours out over own per rather same several she should since so some ' +
    'still such than that the their theirs them then there these they this those though through thus to too toward ' +
    'towards under until up upon us very via was we were what when where whether which while who whom whose why will ' +
    'with within without would yet you your ' +
    // the stock words of news reporting: they are in every story
    'said says say saying told tells according report reports reported reporting article story stories news new latest ' +
    'claim claims claimed alleged allegedly revealed reveals reveal investigation found finds show shows showed ' +
    'company companies firm firms business businesses people person year years month months week weeks day days today ' +
    'yesterday time times including include includes included among percent million billion first last two three ' +
    'week use used using get got gets give gave given gives giving let lets allowed allow allows ' +
    'statement spokesperson spokesman spokeswoman responds responded response none nothing something anything everyone ' +
    'letting lets whose'
  ).split(/\s+/),
);

/** Stems shorter than this match too many unrelated words as prefixes; they are matched whole. */
const MIN_STEM = 4;

/** A light English stem, so a word's other forms match as a prefix ("messages", "messaging" → "messag"). */
export function stemWord(word: string): string {
  for (const suffix of ['ings', 'ing', 'ies', 'ied', 'es', 'ed', 's', 'e', 'y']) {
    if (!word.endsWith(suffix) || (suffix === 's' && word.endsWith('ss'))) continue;
    let stem = word.slice(0, -suffix.length);
    // "shipped" → "ship", not "shipp" (which would also match "shipper" but not "ships").
    if (/^(?:ing|ed|ings)$/.test(suffix) && /([b-df-hj-km-np-rtv-z])\1$/.test(stem) && !/(?:ll|ss|zz)$/.test(stem)) stem = stem.slice(0, -1);
    return stem.length >= MIN_STEM ? stem : word;
  }
  return word;
}

interface StoryWord {
  word: string;
  /** Only a space stands between this word and the next: the two can form a phrase. */
  joinsNext: boolean;
}

/** The words of a text with whether each is directly followed by the next (no punctuation between). */
function storyWords(text: string): StoryWord[] {
  const folded = foldCase(normaliseText(text)).replace(/-/g, ' ');
  const found: StoryWord[] = [];
  const pattern = /[\p{L}\p{N}\p{M}]+(?:'[\p{L}]+)?('?)/gu;
  let previousEnd = -1;
  for (const m of folded.matchAll(pattern)) {
    const start = m.index;
    const last = found[found.length - 1];
    if (last) last.joinsNext = last.joinsNext && /^ +$/.test(folded.slice(previousEnd, start));
    // "Facebook's" → "facebook"; "users'" → "users" (a trailing possessive mark breaks a phrase).
    const raw = m[0];
    const word = raw.replace(/'s$/, '').replace(/'$/, '');
    found.push({ word, joinsNext: !raw.endsWith("'") && !raw.endsWith("'s") });
    previousEnd = start + raw.length;
  }
  return found;
}

function isContentWord(word: string, excluded: ReadonlySet<string>): boolean {
  if (STOPWORDS.has(word) || excluded.has(word)) return false;
  if (/^\p{N}+$/u.test(word)) return false;
  return word.length >= 3;
}

/** The pattern for a word: its stem (matched as a prefix) or, when too short to stem, itself. */
function wordPattern(word: string): { text: string; prefix: boolean } {
  const stem = stemWord(word);
  return stem.length >= MIN_STEM ? { text: stem, prefix: true } : { text: word, prefix: false };
}

export interface DerivedPattern {
  text: string;
  /** Matches longer words too: the text is a stem. */
  prefix: boolean;
}

export interface DerivedTerms {
  /** Two adjacent content words, the second as a stem ("private messag" → "private messages"). */
  phrases: DerivedPattern[];
  /** Single content words as stems ("partner" → "partners", "partnerships"). */
  words: DerivedPattern[];
}

/**
 * The story's derived phrases and words. Words of the companies' names and aliases are left out (a
 * company is evidence of its own), and so is anything the editor already listed in the vocabulary.
 * A story with a rich vocabulary (RICH_VOCABULARY_TERMS) gets none.
 */
export function deriveStoryTerms(story: Story): DerivedTerms {
  let terms = derivedCache.get(story);
  if (!terms) {
    terms = derive(story);
    derivedCache.set(story, terms);
  }
  return terms;
}

/** Stories are built once and read for every item: their derived terms are worked out once. */
const derivedCache = new WeakMap<Story, DerivedTerms>();

/**
 * A story whose editor wrote this many core and related terms or more has said what matters: its
 * own words would add little evidence and cost time on every item.
 */
export const RICH_VOCABULARY_TERMS = 15;

function derive(story: Story): DerivedTerms {
  if (story.vocabulary.core.length + story.vocabulary.related.length >= RICH_VOCABULARY_TERMS) return { phrases: [], words: [] };
  const excluded = new Set<string>();
  for (const company of story.companies) {
    for (const name of [company.name, ...company.aliases.map((a) => a.text), ...(company.spokespeople ?? [])]) {
      for (const { word } of storyWords(name)) excluded.add(word);
    }
  }
  const listed = new Set(
    [...story.vocabulary.core, ...story.vocabulary.related, ...story.vocabulary.negative].map((term) => foldCase(term.replace(/\*$/, '').trim()).replace(/-/g, ' ')),
  );
  const sources = [story.title, story.summary, ...story.reporting.map((r) => r.title)];
  const phrases = new Map<string, DerivedPattern>();
  const words = new Map<string, DerivedPattern>();
  for (const source of sources) {
    const list = storyWords(source);
    list.forEach((current, i) => {
      const keepsNumber = /^\p{N}{2,}$/u.test(current.word) && !/^(?:19|20)\d\d$/.test(current.word);
      const content = isContentWord(current.word, excluded);
      if (content) {
        const pattern = wordPattern(current.word);
        if (!listed.has(pattern.text)) words.set(pattern.text, pattern);
      }
      const next = list[i + 1];
      if (!current.joinsNext || !next || !(content || keepsNumber) || !isContentWord(next.word, excluded)) return;
      const second = wordPattern(next.word);
      const phrase = { text: `${current.word} ${second.text}`, prefix: second.prefix };
      if (!listed.has(phrase.text)) phrases.set(phrase.text, phrase);
    });
  }
  return { phrases: [...phrases.values()], words: [...words.values()] };
}
