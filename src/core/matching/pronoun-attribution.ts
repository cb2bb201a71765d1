// Statements made through a pronoun or a role noun right after the company is named: "Initech built
// the app. It said the data was deleted." / "The company told Reuters …" / "Netflix and Spotify were
// named. They said they were unaware …". The speaker is only ever the company (or list of companies)
// that opens the sentence just before: a pronoun further away, or after a sentence about someone
// else, is too uncertain to put words in a company's mouth.

import { sentenceStart } from '../text/sentences.js';
import type { CompanyMention } from './attribution.js';

/** A sentence opening with a word that could start a pronoun cue: found first, cheaply. */
const SENTENCE_OPENING = /(?:^|[.!?]\s+|\n)(?=(?:It|They|The|Both)\s)/g;

/** A pronoun or "the <role noun>" as the subject of a verb of speech, read where a sentence opens. */
const PRONOUN_CUE_AT =
  /(?:(It|They)|(?:The|Both)\s+(?:\w+\s+)?(company|companies|firm|firms|bank|banks|group|business|service|services|platform|network|carrier|airline|retailer|startup|insurer|automaker|carmaker|manufacturer|maker|operator|streamer|giant|giants))\s+(?:(?:also|later|has|had|have|then|previously|since)\s+)?(said|says|told|tells|stated|explained|added|insisted|maintained|denied|denies|disputed|disputes|rejected|confirmed|confirms|acknowledged|admitted|conceded|declined|responded|countered)\b/y;

const PLURAL = /^(?:They|companies|firms|banks|services|giants)$/;

export interface PronounAttribution {
  /** The companies spoken for (one, or the list that opens the sentence before). */
  speakers: CompanyMention[];
  /** Where the pronoun or role noun starts. */
  start: number;
  cueWord: string;
  cueEnd: number;
}

/**
 * The companies that open the sentence ending just before `at`: "Initech …" gives [Initech],
 * "Netflix and Spotify …" and "Apple, Amazon and Initech …" give the whole list. Empty when the
 * sentence opens with anything else.
 */
function companiesOpeningPreviousSentence(text: string, at: number, mentions: readonly CompanyMention[]): CompanyMention[] {
  let end = at;
  while (end > 0 && /[\s.!?]/.test(text[end - 1] as string)) end--;
  if (end === 0) return [];
  const start = sentenceStart(text, end - 1);
  const opening = /^(?:The\s+)?/.exec(text.slice(start, start + 4))?.[0].length ?? 0;
  const list: CompanyMention[] = [];
  let expected = start + opening;
  for (const mention of mentions) {
    if (mention.start < expected) continue;
    if (mention.start > expected || mention.start >= end) break;
    list.push(mention);
    const joiner = /^(?:\s*,\s*(?:and\s+)?|\s+and\s+)/.exec(text.slice(mention.end, mention.end + 8));
    if (!joiner) break;
    expected = mention.end + joiner[0].length;
  }
  return list;
}

/** Every pronoun or role-noun statement in the text whose company (or list) opens the sentence before. */
export function readPronounAttributions(text: string, mentions: readonly CompanyMention[]): PronounAttribution[] {
  if (mentions.length === 0) return [];
  const found: PronounAttribution[] = [];
  SENTENCE_OPENING.lastIndex = 0;
  for (let opening = SENTENCE_OPENING.exec(text); opening; opening = SENTENCE_OPENING.exec(text)) {
    const start = opening.index + opening[0].length;
    if (opening[0].length === 0) SENTENCE_OPENING.lastIndex++; // an empty match at the very start
    PRONOUN_CUE_AT.lastIndex = start;
    const m = PRONOUN_CUE_AT.exec(text);
    if (!m) continue;
    const speakers = companiesOpeningPreviousSentence(text, start, mentions);
    if (speakers.length === 0) continue;
    const plural = PLURAL.test(m[1] ?? m[2] ?? '');
    if (plural !== speakers.length > 1) continue;
    found.push({ speakers, start, cueWord: m[3] as string, cueEnd: start + m[0].length });
  }
  return found;
}
