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

/** True when the "." at index ends a sentence rather than an abbreviation or a number. */
function isSentenceStop(text: string, index: number): boolean {
  const char = text[index];
  if (char === '!' || char === '?') return true;
  const before = wordBefore(text, index);
  if (ABBREVIATIONS.has(before.replace(/^\./, ''))) return false;
  // "No. 3" is a number; "said no." ends a sentence.
  if (before === 'no' && /^\s*\d/.test(text.slice(index + 1, index + 4))) return false;
  // Single capitals ("J. Smith", "U.S.") are initials.
  if (/^(?:\p{Lu}|(?:\p{L}\.)+\p{L})$/u.test(before.length === 1 ? before.toUpperCase() : before)) return false;
  const next = text.slice(index + 1, index + 4);
  return /^(?:["')\]]*\s|["')\]]*$)/.test(next) || next.length === 0;
}

/**
 * The end (exclusive) of the clause that starts at `from`: a ";", a line break or a sentence stop,
 * whichever comes first outside quotation marks. With `sentenceOnly`, ";" does not end it.
 */
export function clauseEnd(text: string, from: number, sentenceOnly = false): number {
  let inQuote = false;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      inQuote = !inQuote;
      // A quotation that closes on a full stop ends the sentence: …did not." Next …
      if (!inQuote && /[.!?]/.test(text[i - 1] ?? '') && /^\s+["'(]?\p{Lu}/u.test(text.slice(i + 1, i + 4))) return i + 1;
      continue;
    }
    if (char === '\n') return i;
    if (inQuote) continue;
    if (char === ';' && !sentenceOnly) return i;
    if ((char === '.' || char === '!' || char === '?') && isSentenceStop(text, i)) return i + 1;
  }
  return text.length;
}

/** The start of the sentence that contains `index`. */
export function sentenceStart(text: string, index: number): number {
  for (let i = index - 1; i >= 0; i--) {
    const char = text[i];
    if (char === '\n') return i + 1;
    if ((char === '.' || char === '!' || char === '?') && isSentenceStop(text, i)) {
      let start = i + 1;
      while (start < index && /[\s"')\]]/.test(text[start] as string)) start++;
      return start;
    }
  }
  return 0;
}
