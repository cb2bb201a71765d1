// Reads who speaks in a sentence: a company mention as the subject of an attribution cue ("Netflix
// said", "a Netflix spokesperson told", "RBC, Canada's largest bank, is disputing", "Apple, Amazon and
// Microsoft said", "Facebook's blog post", "Facebook: \"…\""), or after one ("…," said a Netflix
// spokesperson; according to Initech, …).

import { isWordCharAt, isWordCharCode } from '../text/tokens.js';

/** Verbs of speech and response whose grammatical subject is the speaker. */
const CUE_VERBS = new Set([
  'said', 'says', 'say', 'told', 'tells', 'stated', 'states', 'wrote', 'writes', 'writing', 'tweeted', 'tweets',
  'responded', 'responds', 'responding', 'replied', 'replies', 'answered', 'answers', 'explained',
  'explains', 'added', 'adds', 'insisted', 'insists', 'maintained', 'maintains', 'argued', 'argues', 'claimed', 'claims',
  'denied', 'denies', 'denying', 'deny', 'disputed', 'disputes', 'disputing', 'dispute', 'rejected', 'rejects',
  'confirmed', 'confirms', 'admitted', 'admits', 'acknowledged', 'acknowledges', 'conceded', 'concedes',
  'defended', 'defends', 'apologized', 'apologised', 'apologizes', 'apologises', 'declined', 'declines',
  'stressed', 'emphasized', 'emphasised', 'clarified', 'clarifies', 'countered', 'counters', 'swears', 'swore',
  'commented', 'comments', 'noted', 'notes',
]);

/** Verbs that are a statement only with a statement noun after them ("released a statement", "posted responses"). */
const PUBLISH_VERBS = new Set(['released', 'releases', 'issued', 'issues', 'published', 'publishes', 'posted', 'posts', 'sent', 'sends', 'put']);

/** Verbs that answer with "back" after them ("pushed back", "hit back"). */
const PUSHBACK_VERBS = new Set(['pushed', 'pushes', 'pushing', 'hit', 'hits', 'fired', 'fires', 'struck', 'strikes']);

/** Nouns that, after a company's possessive, are its own words ("Netflix's formal statement"). */
const NOUN_CUES = new Set(['statement', 'statements', 'tweet', 'tweets', 'blog', 'response', 'responses', 'reply', 'denial', 'comment', 'comments', 'post', 'letter', 'newsroom', 'memo']);

/** Words that may stand between a company and its verb: who speaks for it, and auxiliaries. */
const SPEAKER_WORDS = new Set([
  'spokesperson', 'spokesman', 'spokeswoman', 'spokespeople', 'representative', 'representatives', 'rep', 'official',
  'officials', 'executive', 'executives', 'exec', 'execs', 'ceo', 'chief', 'head', 'vice', 'president', 'director',
  'manager', 'counsel', 'team', 'account', 'itself', 'also', 'later', 'previously', 'has', 'had', 'have', 'since',
  'then', 'initially', 'repeatedly', 'publicly', 'officially', 'formally', 'separately', 'subsequently', 'now', 'is',
  'was', 'were', 'are', 'quickly', 'meanwhile', 'however', 'too', 'both', 'all', 'each',
]);

/** Who speaks for a company ("a Netflix spokesperson"). */
const ROLE_WORDS = new Set(['spokesperson', 'spokesman', 'spokeswoman', 'representative', 'official', 'officials', 'executive', 'executives', 'rep']);

/** What a word can be in an attribution, as bit flags: one lookup per word read. */
const enum WordClass {
  Cue = 1,
  Publish = 2,
  Noun = 4,
  Speaker = 8,
  Role = 16,
}

const WORD_CLASS = new Map<string, number>();
function classify(words: Iterable<string>, flag: WordClass): void {
  for (const word of words) WORD_CLASS.set(word, (WORD_CLASS.get(word) ?? 0) | flag);
}
classify(CUE_VERBS, WordClass.Cue);
classify(PUBLISH_VERBS, WordClass.Publish);
classify(NOUN_CUES, WordClass.Noun);
classify(SPEAKER_WORDS, WordClass.Speaker);
classify(ROLE_WORDS, WordClass.Role);

/** The word's classes; words already in lower case (most) are looked up without a copy. */
function wordClass(word: string): number {
  const direct = WORD_CLASS.get(word);
  if (direct !== undefined) return direct;
  const code = word.charCodeAt(0);
  if (code >= 97 && code <= 122) return 0;
  return WORD_CLASS.get(word.toLowerCase()) ?? 0;
}

/** True for the nouns that, after a company's possessive, are its own words ("statement", "tweet"). */
export function isStatementNoun(word: string): boolean {
  return (wordClass(word) & WordClass.Noun) !== 0;
}

export interface CompanyMention {
  company: number;
  start: number;
  end: number;
}

export interface Attribution {
  cueWord: string;
  cueEnd: number;
  kind: 'verb' | 'noun' | 'colon';
  /** Where a quotation that comes first ("\"…,\" said Initech") would end. */
  quoteBefore?: number;
}

interface Token {
  text: string;
  kind: 'possessive' | 'word' | 'mark';
  start: number;
  end: number;
}

const APOSTROPHE = 39;

function isSpaceCode(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** The next token after `at`: a possessive ("'s"), a word ("U.S", "AT&T", "e-mail") or one mark. */
function readToken(text: string, at: number): Token | undefined {
  let i = at;
  while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
  if (i >= text.length) return undefined;
  const code = text.charCodeAt(i);
  if (code === APOSTROPHE) {
    const next = text.charCodeAt(i + 1);
    if ((next === 115 || next === 83) && !isWordCharAt(text, i + 2)) return { text: "'s", kind: 'possessive', start: i, end: i + 2 };
    if (!isWordCharAt(text, i + 1)) return { text: "'", kind: 'possessive', start: i, end: i + 1 };
    return { text: "'", kind: 'mark', start: i, end: i + 1 };
  }
  if (isWordCharCode(code)) {
    let j = i + 1;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      // Inner "&", "-" and "." belong to the word ("AT&T", "e-mail", "U.S"); a final "." does not.
      if (isWordCharCode(c) || ((c === 38 || c === 45 || c === 46) && isWordCharAt(text, j + 1))) j++;
      else break;
    }
    return { text: text.slice(i, j), kind: 'word', start: i, end: j };
  }
  return { text: text[i] as string, kind: 'mark', start: i, end: i + 1 };
}

const MAX_GAP_TOKENS = 6;

function crossesLineBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) return true;
  return false;
}

/**
 * Reads forward from the end of a company mention for an attribution cue it is the subject of.
 * `mentionsByStart` finds a mention of another company starting at a position (for "Amazon and Apple said").
 */
export function readAttribution(text: string, from: number, mentionsByStart: ReadonlyMap<number, CompanyMention>, group: CompanyMention[]): Attribution | undefined {
  let at = from;
  let possessive = false;
  let names = 0;
  let lowerSinceNoun = 0;
  let skippedAside = false;
  for (let step = 0; step < MAX_GAP_TOKENS + group.length * 2; step++) {
    const token = readToken(text, at);
    if (!token || token.text.length === 0) return undefined;
    // A headline's last word and the summary's first are not one sentence ("… with Facebook\nYandex explains").
    if (crossesLineBreak(text, at, token.start)) return undefined;
    if (token.kind === 'possessive') {
      if (step > 0 && names === 0) return undefined;
      possessive = true;
      at = token.end;
      continue;
    }
    if (token.kind === 'mark') {
      if (token.text === ':') {
        // "Facebook: \"…\"" quotes the company only where it opens the clause and nothing lower-case
        // stands between ("… with Apple and Amazon: \"…\"" and "Facebook's certificate: \"…\"" do not).
        const quoteFollows = /^\s*["']/.test(text.slice(token.end, token.end + 3));
        const opensClause = startsClause(text, (group[0] as CompanyMention).start);
        return quoteFollows && opensClause && lowerSinceNoun === 0 ? { cueWord: ':', cueEnd: token.end, kind: 'colon' } : undefined;
      }
      if (token.text === ',' && !possessive) {
        const next = mentionsByStart.get(skipSpaces(text, token.end));
        if (next) {
          group.push(next);
          at = next.end;
          continue;
        }
      }
      if (token.text === ',' && group.length === 1 && speaksAfterTitle(text, token.end, (group[0] as CompanyMention).start)) {
        const cue = readToken(text, token.end) as Token;
        return { cueWord: cue.text, cueEnd: cue.end, kind: 'verb' };
      }
      if (token.text === ',' && !skippedAside) {
        // "Initech, which built the app, said …", "RBC, Canada's largest bank, said …",
        // "Initech, in a statement, said …": an aside between commas stands aside.
        const close = asideEnd(text, token.end, mentionsByStart);
        if (close === undefined) return undefined;
        skippedAside = true;
        at = close;
        continue;
      }
      return undefined;
    }
    const word = token.text;
    if ((word === 'and' || word === 'And') && !possessive) {
      const next = mentionsByStart.get(skipSpaces(text, token.end));
      if (next) {
        group.push(next);
        at = next.end;
        continue;
      }
      // "Amazon, Microsoft and Yahoo said": the last of a list may be a company the story does not track.
      const after = readToken(text, token.end);
      if (names === 0 && after?.kind === 'word' && startsUpperCase(after.text)) {
        at = token.end;
        continue;
      }
      return undefined;
    }
    const flags = wordClass(word);
    if (PUSHBACK_VERBS.has(word)) {
      // "Initech pushed back on the report, saying …", "Initech hit back": an answer to the story.
      const back = readToken(text, token.end);
      if (back?.text === 'back') return { cueWord: `${word} back`, cueEnd: back.end, kind: 'verb' };
    }
    if ((word === 'refused' || word === 'refuses') && /^\s+to\s+(?:comment|discuss|say|elaborate|answer|respond)\b/.test(text.slice(token.end, token.end + 20))) {
      // "refused to comment" is "declined to comment"; "refused to share the data" is news, not a statement.
      return { cueWord: word, cueEnd: token.end, kind: 'verb' };
    }
    if (flags & WordClass.Publish) {
      const noun = statementNounAfter(text, token.end);
      return noun === undefined ? undefined : { cueWord: token.text, cueEnd: noun, kind: 'verb' };
    }
    if (flags & WordClass.Cue) {
      // "Facebook said to have given …" reports a rumour, not the company's words.
      if (/^\s+to\s/.test(text.slice(token.end, token.end + 4)) && /^(?:said|says)$/i.test(word)) return undefined;
      return { cueWord: token.text, cueEnd: token.end, kind: 'verb' };
    }
    if (possessive && flags & WordClass.Noun) return { cueWord: token.text, cueEnd: token.end, kind: 'noun' };
    const mention = mentionsByStart.get(token.start);
    if (mention) return undefined; // another company is the subject now
    if (flags & WordClass.Speaker) {
      at = token.end;
      continue;
    }
    if (names < 3 && startsUpperCase(token.text)) {
      names++;
      at = token.end;
      continue;
    }
    if (possessive && lowerSinceNoun < 2) {
      lowerSinceNoun++;
      at = token.end;
      continue;
    }
    return undefined;
  }
  return undefined;
}

/**
 * Where an aside that opens at `from` (just after a comma) closes: after its closing comma, when it is
 * short, names no other company of the story and holds no sentence end or quotation.
 */
function asideEnd(text: string, from: number, mentionsByStart: ReadonlyMap<number, CompanyMention>): number | undefined {
  const close = text.indexOf(',', from);
  if (close < 0 || close - from > 100) return undefined;
  const aside = text.slice(from, close);
  if (/[.;:"!?\n]/.test(aside) || aside.trim().split(/\s+/).length > 10) return undefined;
  for (const start of mentionsByStart.keys()) if (start >= from && start < close) return undefined;
  return close + 1;
}

/** A person's title naming the company: "Bill Lumbergh, Initech's director of privacy," / "…, a vice president at Initech,". */
const TITLE_APPOSITIVE = /\p{Lu}[\p{L}'.-]*,\s+(?:(?:an?|the)\s+)?(?:[\p{L}-]+\s+){0,5}$/u;
const TITLE_WORD = /\b(?:spokes(?:person|man|woman)|representative|director|president|chief|head|executive|officer|manager|counsel|founder|chair(?:man|woman)?|CEO|CFO|CTO|COO|CPO|VP|SVP|lead)\b/;

/**
 * True when a verb of speech follows this comma and the company stands in a title after a person's
 * name ("Bill Lumbergh, Initech's director of privacy, said"): the person speaks for the company.
 */
function speaksAfterTitle(text: string, afterComma: number, mentionStart: number): boolean {
  const next = readToken(text, afterComma);
  if (!next || next.kind !== 'word' || !(wordClass(next.text) & WordClass.Cue)) return false;
  const before = TITLE_APPOSITIVE.exec(text.slice(Math.max(0, mentionStart - 60), mentionStart));
  if (!before) return false;
  const title = before[0] + text.slice(mentionStart, afterComma);
  // A former employee speaks for themself, not for the company.
  return TITLE_WORD.test(title) && !/\b(?:former|ex|onetime|retired)\b/i.test(title);
}

/** The end of a statement noun within the next three words ("released a formal statement"), if any. */
function statementNounAfter(text: string, from: number): number | undefined {
  let at = from;
  for (let step = 0; step < 4; step++) {
    const token = readToken(text, at);
    if (!token || token.kind !== 'word') return undefined;
    if (wordClass(token.text) & WordClass.Noun) return token.end;
    at = token.end;
  }
  return undefined;
}

/** "Steve", "Über", "CEO": a capitalised word, as names and titles are. */
function startsUpperCase(word: string): boolean {
  const code = word.charCodeAt(0);
  if (code < 128) return code >= 65 && code <= 90;
  const first = word[0] as string;
  return first !== first.toLowerCase() && first === first.toUpperCase();
}

function skipSpaces(text: string, at: number): number {
  let i = at;
  while (i < text.length && text[i] === ' ') i++;
  return i;
}

const REVERSE_CUE = /\b(said|says|according to|told by)\s+(?:(?:an?|the)\s+)?(?:(?:statement|spokesperson|spokesman|spokeswoman|representative|blog post|post|tweet)\s+(?:from|by|for|of)\s+)?$/i;

const MIGHT_REVERSE_CUE = /said|says|according to|told by/i;

/** True when only a clause boundary (or nothing) precedes the position. */
function startsClause(text: string, position: number): boolean {
  const before = text.slice(Math.max(0, position - 40), position).replace(/\s+$/, '').replace(/(?:^|\s)(?:a|an|the)$/i, '').replace(/\s+$/, '');
  return before.length === 0 || /[.;:,(\n"]$/.test(before);
}

/** "…," said a Netflix spokesperson / according to Netflix. */
export function readReverseAttribution(text: string, mention: CompanyMention): Attribution | undefined {
  // What follows the mention decides first (cheap): a speaker ("said a Netflix spokesperson", "said
  // Initech spokesman Bob Slydell"), the end of the sentence ("…, said Netflix.") or a comma
  // ("according to Initech, …"). Only then is the text before it searched for the cue.
  let at = mention.end;
  let token = readToken(text, at);
  for (let step = 0; token && token.kind === 'word' && step < 4; step++) {
    const isRole = (wordClass(token.text) & WordClass.Role) !== 0;
    if (!isRole && !startsUpperCase(token.text)) break;
    at = token.end;
    token = readToken(text, at);
  }
  const endsSentence = !token || (token.kind === 'mark' && /^[.;!?]$/.test(token.text));
  const followedBySpeaker = at > mention.end || endsSentence;
  const followedByComma = at === mention.end && token?.kind === 'mark' && token.text === ',';
  if (!followedBySpeaker && !followedByComma) return undefined;

  const windowStart = Math.max(0, mention.start - 60);
  const window = text.slice(windowStart, mention.start);
  // Unanchored tests are cheap; the anchored REVERSE_CUE tries every start position.
  if (followedBySpeaker ? !MIGHT_REVERSE_CUE.test(window) : !/according to/i.test(window)) return undefined;
  const m = REVERSE_CUE.exec(window);
  if (!m) return undefined;
  const quoteBefore = windowStart + m.index;
  const verb = (m[1] ?? '').toLowerCase();
  if (verb === 'according to') {
    // "According to a statement from Initech, the data was never used." ("according to Netflix's
    // privacy policy" cites a document, not the company speaking: the possessive fails above.)
    // "according to an Initech spokesperson, …" too: who speaks for it may follow the name.
    const commaAfter = token?.kind === 'mark' && token.text === ',';
    if (!commaAfter && !endsSentence) return undefined;
    const noun = /(statement|post|tweet)\s+\w+\s+$/i.exec(m[0])?.[1];
    return { cueWord: noun ?? verb, cueEnd: commaAfter && token ? token.end : at, kind: noun ? 'noun' : 'verb', quoteBefore };
  }
  return followedBySpeaker ? { cueWord: verb, cueEnd: at, kind: 'verb', quoteBefore } : undefined;
}
