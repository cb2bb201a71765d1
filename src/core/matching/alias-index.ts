// Every alias, spokesperson and vocabulary term of every tracked story in ONE automaton, so an item
// is read once however many stories are tracked. Hits are checked for word boundaries, exact case
// (for ambiguous aliases) and negative contexts here; scoring happens elsewhere.

import type { Alias, Story } from '../model.js';
import { foldCase, isWordCharAt } from '../text/tokens.js';
import { PhraseAutomaton } from './phrase-automaton.js';
import { deriveStoryTerms } from './story-terms.js';

/** 'storyPhrase' and 'storyWord' are derived from the story's own title and summary (story-terms.ts). */
export type TermCategory = 'core' | 'related' | 'negative' | 'storyPhrase' | 'storyWord';

export type IndexEntry =
  | { kind: 'alias'; story: number; company: number; alias: Alias; negativeContexts: string[] }
  | { kind: 'term'; story: number; category: TermCategory; term: string; prefix: boolean };

export interface Hit {
  entry: IndexEntry;
  start: number;
  end: number;
}

/** How far (in characters) either side of an alias a negative context is looked for. */
const NEGATIVE_CONTEXT_WINDOW = 60;

/** A vocabulary term ending in "*" also matches longer words ("partnership*" → "partnerships"). */
function parseTerm(raw: string): { text: string; prefix: boolean } {
  const trimmed = raw.trim();
  return trimmed.endsWith('*') ? { text: trimmed.slice(0, -1).trimEnd(), prefix: true } : { text: trimmed, prefix: false };
}

/**
 * An all-capitals headline writes "APPLE SAYS …": a case-sensitive alias also counts in capitals when
 * the words around it are in capitals too (so "the APPLE acronym" in a normal sentence does not).
 */
function isShoutedAlias(text: string, start: number, end: number, alias: string): boolean {
  if (text.slice(start, end) !== alias.toUpperCase()) return false;
  const around = text.slice(Math.max(0, start - 20), start) + text.slice(end, end + 20);
  return /\p{Lu}{2}/u.test(around) && !/\p{Ll}/u.test(around);
}

/** Negative contexts in the form the window is searched in: lower case, hyphens as spaces. */
export function foldNegativeContexts(contexts: readonly string[]): string[] {
  return contexts.map((context) => context.trim().toLowerCase().replace(/-/g, ' ')).filter((context) => context.length > 0);
}

/** The text around a hit, lower case with hyphens as spaces, where negative contexts are looked for. */
export function negativeContextWindow(text: string, start: number, end: number): string {
  return text
    .slice(Math.max(0, start - NEGATIVE_CONTEXT_WINDOW), end + NEGATIVE_CONTEXT_WINDOW)
    .toLowerCase()
    .replace(/-/g, ' ');
}

function hasWordAt(window: string, phrase: string): boolean {
  for (let from = 0; ; ) {
    const at = window.indexOf(phrase, from);
    if (at < 0) return false;
    if (!isWordCharAt(window, at - 1) && !isWordCharAt(window, at + phrase.length)) return true;
    from = at + 1;
  }
}

/** True when a word of the alias's negative contexts stands in the window ("Amazon rainforest"). */
export function inNegativeContext(window: string, foldedContexts: readonly string[]): boolean {
  return foldedContexts.some((context) => hasWordAt(window, context));
}

/**
 * The aliases that apply: where one text is listed twice (the config adds the canonical name as a
 * plain alias, and an editor may list the same word with caseSensitive or negativeContexts), the
 * stricter entries win, otherwise "Amazon" would still match "the amazon".
 */
export function effectiveAliases(aliases: readonly Alias[]): Alias[] {
  const strict = new Set(aliases.filter((a) => a.caseSensitive || a.negativeContexts.length > 0).map((a) => foldCase(a.text.trim())));
  return aliases.filter((a) => a.caseSensitive || a.negativeContexts.length > 0 || !strict.has(foldCase(a.text.trim())));
}

export class AliasIndex {
  private readonly automaton: PhraseAutomaton;
  /** Entries per pattern id: one pattern text may serve many stories. */
  private readonly entriesByPattern: IndexEntry[][] = [];

  constructor(readonly stories: readonly Story[]) {
    const patternIds = new Map<string, number>();
    const add = (text: string, entry: IndexEntry): void => {
      const key = foldCase(text).replace(/-/g, ' ');
      if (key.trim().length === 0) return;
      let id = patternIds.get(key);
      if (id === undefined) {
        id = this.entriesByPattern.length;
        patternIds.set(key, id);
        this.entriesByPattern.push([]);
      }
      (this.entriesByPattern[id] as IndexEntry[]).push(entry);
    };
    stories.forEach((story, storyIndex) => {
      story.companies.forEach((company, companyIndex) => {
        // A spokesperson's name stands for the company: "Satterfield said" is the company speaking.
        const spokespeople = (company.spokespeople ?? []).map((name) => ({ text: name, caseSensitive: true, negativeContexts: [] }));
        for (const alias of [...effectiveAliases(company.aliases), ...spokespeople]) {
          const negativeContexts = foldNegativeContexts(alias.negativeContexts);
          add(alias.text.trim(), { kind: 'alias', story: storyIndex, company: companyIndex, alias, negativeContexts });
        }
      });
      const categories = ['core', 'related', 'negative'] as const;
      for (const category of categories) {
        for (const raw of story.vocabulary[category]) {
          const { text, prefix } = parseTerm(raw);
          add(text, { kind: 'term', story: storyIndex, category, term: text, prefix });
        }
      }
      const derived = deriveStoryTerms(story);
      for (const { text, prefix } of derived.phrases) add(text, { kind: 'term', story: storyIndex, category: 'storyPhrase', term: text, prefix });
      for (const { text, prefix } of derived.words) add(text, { kind: 'term', story: storyIndex, category: 'storyWord', term: text, prefix });
    });
    this.automaton = new PhraseAutomaton([...patternIds.keys()]);
  }

  /** Every valid hit in text, in order of where it ends. */
  scan(text: string): Hit[] {
    const hits: Hit[] = [];
    this.automaton.scan(text, (patternId, start, end) => {
      if (isWordCharAt(text, start - 1)) return;
      const endsAtWordBoundary = !isWordCharAt(text, end);
      let window: string | undefined; // built once per hit, only if an alias has negative contexts
      for (const entry of this.entriesByPattern[patternId] as IndexEntry[]) {
        if (!endsAtWordBoundary && !(entry.kind === 'term' && entry.prefix)) continue;
        if (entry.kind === 'alias') {
          if (entry.alias.caseSensitive && !text.startsWith(entry.alias.text.trim(), start) && !isShoutedAlias(text, start, end, entry.alias.text.trim())) continue;
          if (entry.negativeContexts.length > 0) {
            window ??= negativeContextWindow(text, start, end);
            if (inNegativeContext(window, entry.negativeContexts)) continue;
          }
        }
        hits.push({ entry, start, end });
      }
    });
    return hits;
  }

  get stateCount(): number {
    return this.automaton.stateCount;
  }
}
