// The stance of a statement: what the company's words do to the story's claim.

import type { Stance } from '../model.js';
import { WordPhrases } from './word-phrases.js';

const DENY_VERBS = /^(?:denied|denies|denying|deny|disputed|disputes|disputing|dispute|rejected|rejects|countered|counters|swears|swore|(?:pushed|pushes|pushing|hit|hits|fired|fires|struck|strikes) back)$/;
const CONFIRM_VERBS = /^(?:confirmed|confirms|admitted|admits|acknowledged|acknowledges|conceded|concedes|apologized|apologised|apologizes|apologises)$/;
const DECLINE = /\b(?:(?:declined|declines|refused|refuses)\s+to\s+(?:comment|discuss|say|elaborate|answer|provide|respond)|(?:would not|wouldn't)\s+(?:comment|elaborate|discuss)|no comment)\b/i;
/** A cheap first look before DECLINE, which is costly to run on every clause. */
const MIGHT_DECLINE = /declin|refus|would not|wouldn't|no comment/i;

const DENIAL_WORDS = new WordPhrases([
  'never', 'at no time', 'did not', "didn't", 'does not', "doesn't", 'do not', "don't", 'was not', "wasn't", 'were not',
  "weren't", 'had not', "hadn't", 'not aware', 'unaware', 'no idea', 'did not know', "didn't know", 'not know',
  'no knowledge', 'no evidence', 'none of', 'nor', 'wrong to suggest', 'nothing wrong', 'no wrongdoing', 'not true',
  'untrue', 'cannot', "can't", 'could not', 'false', 'inaccurate', 'misleading', 'ningún', 'nunca', 'keinem', 'jamais', 'aucun',
]);
const CONFIRM_WORDS = new WordPhrases(['yes', "we shouldn't have", 'we should not have', 'we acknowledge', 'we confirm', 'it is true', 'that was the point']);

/** The stance of a statement, from its cue and its words. */
export function classifyStance(cueWord: string, words: string, clause: string): Stance {
  const cue = cueWord.toLowerCase();
  if (DENY_VERBS.test(cue)) return 'denies';
  if (CONFIRM_VERBS.test(cue)) return 'confirms';
  if (cue === 'declined' || cue === 'declines') return 'declines';
  if (MIGHT_DECLINE.test(clause) && DECLINE.test(clause) && !DENIAL_WORDS.test(words)) return 'declines';
  if (DENIAL_WORDS.test(words)) return 'denies';
  if (CONFIRM_WORDS.test(words)) return 'confirms';
  return 'other';
}
