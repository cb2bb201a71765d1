import { describe, expect, it } from 'vitest';
import { PhraseAutomaton } from '../../../src/core/matching/phrase-automaton.js';

function findAll(patterns: string[], text: string): [string, string][] {
  const automaton = new PhraseAutomaton(patterns);
  const found: [string, string][] = [];
  automaton.scan(text, (id, start, end) => found.push([patterns[id] as string, text.slice(start, end)]));
  return found;
}

describe('PhraseAutomaton', () => {
  it('finds every pattern in one pass, overlapping ones included', () => {
    expect(findAll(['he', 'she', 'hers', 'his'], 'ushers')).toEqual([
      ['she', 'she'],
      ['he', 'he'],
      ['hers', 'hers'],
    ]);
  });

  it('ignores case, in Latin and other scripts', () => {
    expect(findAll(['netflix', 'яндекс'], 'NETFLIX и Яндекс')).toEqual([
      ['netflix', 'NETFLIX'],
      ['яндекс', 'Яндекс'],
    ]);
  });

  it('treats a hyphen like a space, so "data-sharing" and "data sharing" are one phrase', () => {
    expect(findAll(['data sharing'], 'a data-sharing deal and data sharing').map(([, t]) => t)).toEqual(['data-sharing', 'data sharing']);
  });

  it('finds nothing in text made only of characters no pattern uses', () => {
    expect(findAll(['apple'], '12345 !!! ???')).toEqual([]);
  });
});
