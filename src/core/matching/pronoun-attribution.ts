// Statements made through a pronoun or a role noun right after the company is named: "Initech built
// the app. It said the data was deleted." / "The company told Reuters …" / "Netflix and Spotify were
// named. They said they were unaware …". The speaker is only ever the company (or list of companies)
// that opens the sentence just before: a pronoun further away, or after a sentence about someone
// else, is too uncertain to put words in a company's mouth.

import { clauseEnd } from '../text/sentences.js';
import type { CompanyMention } from './attribution.js';

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

/** True when the mention opens its sentence (after "The" at most): a full stop, a line break or nothing before. */
function opensSentence(text: string, mentionStart: number): boolean {
  let i = mentionStart;
  if (i >= 4 && text.startsWith('The ', i - 4)) i -= 4;
  if (i === 0) return true;
  const before = text.charCodeAt(i - 1);
  if (before === 10) return true;
  if (before !== 32 || i < 2) return false;
  const stop = text.charCodeAt(i - 2);
  return stop === 46 || stop === 33 || stop === 63;
}

/** The list of companies from this mention on ("Netflix and Spotify", "Apple, Amazon and Initech"). */
function listFrom(text: string, first: number, mentions: readonly CompanyMention[]): CompanyMention[] {
  const list: CompanyMention[] = [mentions[first] as CompanyMention];
  for (let i = first + 1; i < mentions.length; i++) {
    const previous = list[list.length - 1] as CompanyMention;
    const joiner = /^(?:\s*,\s*(?:and\s+)?|\s+and\s+)$/.exec(text.slice(previous.end, (mentions[i] as CompanyMention).start));
    if (!joiner) break;
    list.push(mentions[i] as CompanyMention);
  }
  return list;
}

/**
 * Every pronoun or role-noun statement in the text whose company (or list) opens the sentence
 * before. Read from the mentions that open a sentence, so an item pays per mention, not per sentence.
 */
export function readPronounAttributions(text: string, mentions: readonly CompanyMention[]): PronounAttribution[] {
  const found: PronounAttribution[] = [];
  for (let i = 0; i < mentions.length; i++) {
    const mention = mentions[i] as CompanyMention;
    if (!opensSentence(text, mention.start)) continue;
    const speakers = listFrom(text, i, mentions);
    const last = speakers[speakers.length - 1] as CompanyMention;
    let start = clauseEnd(text, last.end, true);
    while (start < text.length && /\s/.test(text[start] as string)) start++;
    PRONOUN_CUE_AT.lastIndex = start;
    const m = PRONOUN_CUE_AT.exec(text);
    i += speakers.length - 1;
    if (!m) continue;
    const plural = PLURAL.test(m[1] ?? m[2] ?? '');
    if (plural !== speakers.length > 1) continue;
    found.push({ speakers, start, cueWord: m[3] as string, cueEnd: start + m[0].length });
  }
  return found;
}
