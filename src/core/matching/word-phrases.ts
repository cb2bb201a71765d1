// A set of whole words and phrases found in one pass of a small automaton: long alternations of
// words in a regular expression are tried at every position and cost far more.

import { isWordCharAt } from '../text/tokens.js';
import { PhraseAutomaton } from './phrase-automaton.js';

/** Whole words or phrases, any case, a hyphen standing for a space. */
export class WordPhrases {
  private readonly automaton: PhraseAutomaton;

  constructor(phrases: readonly string[]) {
    this.automaton = new PhraseAutomaton(phrases.map((phrase) => phrase.toLowerCase()));
  }

  test(text: string): boolean {
    let found = false;
    this.automaton.scan(text, (_id, start, end) => {
      if (!found && !isWordCharAt(text, start - 1) && !isWordCharAt(text, end)) found = true;
    });
    return found;
  }
}
