// Where a clause or sentence ends, for reading reported speech ("Netflix said it never accessed …").

import { isWordCharCode } from './tokens.js';

const ABBREVIATIONS = new Set([
  'sen', 'sens', 'rep', 'reps', 'mr', 'mrs', 'ms', 'dr', 'st', 'jr', 'sr', 'inc', 'co', 'corp', 'ltd', 'vs',
  'gov', 'gen', 'prof', 'dept', 'est', 'approx', 'e.g', 'i.e', 'etc', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug',
  'sep', 'sept', 'oct', 'nov', 'dec', 'u.s', 'u.k', 'd.c', 'mt', 'ft', 'op',
]);

function wordBefore(text: string, index: number): string {
  let start = index;
  while (start > 0 && (text.charCodeAt(start - 1) === 46 || isWordCharCode(text.charCodeAt(start - 1)))) start--;
  return text.slice(start, index).toLowerCase();
}

const QUOTE = 34;
const APOSTROPHE = 39;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const CLOSE_BRACKET = 93;
const FULL_STOP = 46;
const NEWLINE = 10;
const SEMICOLON = 59;

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0;
}

function isUpperCaseAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code < 128) return code >= 65 && code <= 90;
  const char = text[index] as string;
  return char !== char.toLowerCase();
}

/** "u.s", "d.c", "j": initials, not words. */
function isInitials(word: string): boolean {
  if (word.length === 1) return true;
  for (let i = 0; i < word.length; i++) {
    const isDot = word.charCodeAt(i) === FULL_STOP;
    if (i % 2 === 1 ? !isDot : isDot) return false;
  }
  return word.length % 2 === 1;
}

/** True when the "." (or "!", "?") at index ends a sentence rather than an abbreviation or a number. */
function isSentenceStop(text: string, index: number): boolean {
  if (text.charCodeAt(index) !== FULL_STOP) return true;
  const before = wordBefore(text, index);
  if (ABBREVIATIONS.has(before.charCodeAt(0) === FULL_STOP ? before.slice(1) : before)) return false;
  // "No. 3" is a number; "said no." ends a sentence.
  if (before === 'no' && /^\s*\d/.test(text.slice(index + 1, index + 4))) return false;
  // Initials ("J. Smith", "U.S.") do not end a sentence.
  if (before.length > 0 && isInitials(before)) return false;
  // A stop ends the sentence when closing marks and then a space (or the end) follow.
  let next = index + 1;
  while (next < text.length) {
    const code = text.charCodeAt(next);
    if (code !== QUOTE && code !== APOSTROPHE && code !== CLOSE_PAREN && code !== CLOSE_BRACKET) break;
    next++;
  }
  return next >= text.length || isSpace(text.charCodeAt(next));
}

/**
 * The end (exclusive) of the clause that starts at `from`: a ";", a line break or a sentence stop,
 * whichever comes first outside quotation marks. With `sentenceOnly`, ";" does not end it.
 */
export function clauseEnd(text: string, from: number, sentenceOnly = false): number {
  let inQuote = false;
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      inQuote = !inQuote;
      // A quotation that closes on a full stop ends the sentence: …did not." Next …
      if (!inQuote && i > 0 && isStopCode(text.charCodeAt(i - 1)) && closesSentenceBefore(text, i + 1)) return i + 1;
      continue;
    }
    if (code === NEWLINE) return i;
    if (inQuote) continue;
    if (code === SEMICOLON && !sentenceOnly) return i;
    if (isStopCode(code) && isSentenceStop(text, i)) return i + 1;
  }
  return text.length;
}

function isStopCode(code: number): boolean {
  return code === FULL_STOP || code === 33 || code === 63;
}

/** A space, then (after an optional opening mark) a capital: a new sentence starts at `at`. */
function closesSentenceBefore(text: string, at: number): boolean {
  let i = at;
  if (i >= text.length || !isSpace(text.charCodeAt(i))) return false;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const code = text.charCodeAt(i);
  if (code === QUOTE || code === APOSTROPHE || code === OPEN_PAREN) i++;
  return i < text.length && isUpperCaseAt(text, i);
}

/** The start of the sentence that contains `index`. */
export function sentenceStart(text: string, index: number): number {
  for (let i = index - 1; i >= 0; i--) {
    const code = text.charCodeAt(i);
    if (code === NEWLINE) return i + 1;
    if (isStopCode(code) && isSentenceStop(text, i)) {
      let start = i + 1;
      while (start < index && /[\s"')\]]/.test(text[start] as string)) start++;
      return start;
    }
  }
  return 0;
}
