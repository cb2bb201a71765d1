// The company's own words after an attribution: a quotation when there is one, else the reported clause.

import { clauseEnd, sentenceStart } from '../text/sentences.js';
import { isWordCharCode } from '../text/tokens.js';

export interface ExtractedQuote {
  text: string;
  /** The company's own words in quotation marks, not a reporter's paraphrase. */
  quoted: boolean;
  /** Where the reported clause ends, for checking what the statement is about. */
  clauseEnd: number;
  /** Where the words start when they come before the cue ("The data was deleted, Initech said."). */
  clauseStart?: number;
}

const MAX_QUOTE = 400;

/** Cues whose words follow a "saying" ("issued a statement saying …", "pushed back on the report, saying …"). */
const INTRODUCES_SAYING = /^(?:released|releases|issued|issues|published|publishes|posted|posts|sent|sends|put)$|\sback$/i;
const LEADING_SAYING = /^\s*(?:[^,.;"]{0,80},\s*)?saying\s+(?:that\s+)?/;
const LEADING_WHEN =
  /^\s*(?:(?:on|late|early)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tonight|earlier|later|last\s+(?:week|month|year))(?:\s+(?:morning|afternoon|evening|night))?\s*,?\s+(?=that\s|it\s|they\s|the\s|its\s|\p{Lu})/u;

const LEADING_PUNCTUATION = /^[,:;\s]+/;
const TRAILING_PUNCTUATION = /[,;]+$/;

function trimQuote(text: string): string {
  const clean = text.trim().replace(LEADING_PUNCTUATION, '').replace(TRAILING_PUNCTUATION, '').trimEnd();
  return clean.length > MAX_QUOTE ? `${clean.slice(0, MAX_QUOTE - 1)}…` : clean;
}

function hasWordChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isWordCharCode(text.charCodeAt(i))) return true;
  return false;
}

/** The company's words after a cue: a quotation if one opens in the clause, else the reported clause. */
export function extractQuote(text: string, mentionStart: number, cueEnd: number, cueWord = '', quoteBefore = mentionStart): ExtractedQuote {
  const end = clauseEnd(text, cueEnd);
  // "…," Netflix said / "…," said a Netflix spokesperson. (A quotation ending in a full stop
  // belongs to the sentence before.)
  const nearbyQuote = text.lastIndexOf('"', quoteBefore - 1);
  const before = nearbyQuote >= quoteBefore - 10 ? text.slice(Math.max(0, quoteBefore - 10), quoteBefore).replace(/(?:^|\s)(?:an?|the)\s*$/i, '') : '';
  if (before.length > 0 && /(?:[,?!]"|",)\s*$/.test(before)) {
    const close = text.lastIndexOf('"', quoteBefore - 1);
    const open2 = close > 0 ? text.lastIndexOf('"', close - 1) : -1;
    if (open2 >= 0 && close - open2 > 1) return { text: trimQuote(text.slice(open2 + 1, close)), quoted: true, clauseEnd: end };
  }
  const open = text.indexOf('"', cueEnd);
  if (open >= 0 && open < end) {
    const close = text.indexOf('"', open + 1);
    if (close > open + 1) return { text: trimQuote(text.slice(open + 1, close)), quoted: true, clauseEnd: Math.max(end, close) };
  }
  // Headlines quote with single marks: Netflix says 'we never read your messages'.
  const single = text.includes("'", cueEnd) ? /^\s*:?\s*'(?=\p{L})/u.exec(text.slice(cueEnd, cueEnd + 4)) : null;
  if (single) {
    const from = cueEnd + single[0].length;
    const closing = /'(?![\p{L}\p{N}])/u.exec(text.slice(from, from + MAX_QUOTE));
    if (closing && closing.index > 0) return { text: trimQuote(text.slice(from, from + closing.index)), quoted: true, clauseEnd: Math.max(end, from + closing.index) };
  }
  if (/^(?:declin|refus)/i.test(cueWord)) {
    // "declined to comment": the refusal is the statement.
    const from = text.lastIndexOf(cueWord, cueEnd);
    return { text: trimQuote(text.slice(from >= 0 ? from : cueEnd, end)), quoted: false, clauseEnd: end };
  }
  let reported = text.slice(cueEnd, end);
  // "told the Times it deleted the data", "confirmed to the Verge that …": the words start after whom it told.
  if (/^\s*to\s/.test(reported)) reported = reported.replace(/^\s*to\s+(?:the\s+)?\p{Lu}[\p{L}.&-]*(?:\s+\p{Lu}[\p{L}.&-]*)*/u, '');
  if (/^(?:told|tells)$/i.test(cueWord)) reported = reported.replace(/^\s*(?:the\s+)?\p{Lu}[\p{L}.&-]*(?:\s+\p{Lu}[\p{L}.&-]*)*/u, '');
  // "said Tuesday that …", "pushed back on the report, saying …": when it spoke, or the verb that introduces the words, is not its words.
  reported = reported.replace(LEADING_WHEN, '');
  if (INTRODUCES_SAYING.test(cueWord)) reported = reported.replace(LEADING_SAYING, '');
  reported = trimQuote(reported.replace(/^\s*(?:(?:in|on|via)\s+(?:an?\s+|the\s+|its\s+)?(?:\w+\s+)?(?:statement|blog post|post|tweet|email|letter|Twitter|interview)\b,?\s*)?(?:that\s+)?/i, ''));
  // "…, which Facebook denied." — the words are what came before.
  if (!hasWordChar(reported)) {
    const start = sentenceStart(text, mentionStart);
    // "The data was deleted, Initech said.": the words are what stands before the comma.
    const before = /,\s*(?:(?:an?|the)\s+)?$/i.exec(text.slice(start, mentionStart));
    const words = before ? text.slice(start, start + before.index) : text.slice(start, end);
    return { text: trimQuote(words), quoted: false, clauseEnd: end, clauseStart: start };
  }
  return { text: reported, quoted: false, clauseEnd: end };
}
