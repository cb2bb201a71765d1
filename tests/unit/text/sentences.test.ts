import { describe, expect, it } from 'vitest';
import { clauseEnd, sentenceStart } from '../../../src/core/text/sentences.js';

describe('clauseEnd', () => {
  it('stops at a full stop that ends a sentence, not at abbreviations or initials', () => {
    const text = 'Sen. Markey and the U.S. regulator said no. Next sentence.';
    expect(text.slice(0, clauseEnd(text, 0))).toBe('Sen. Markey and the U.S. regulator said no.');
  });

  it('reads "No. 3" as a number, not the end of a sentence', () => {
    const text = 'It ranked No. 3 on the list. Then more.';
    expect(text.slice(0, clauseEnd(text, 0))).toBe('It ranked No. 3 on the list.');
  });

  it('stops at a semicolon unless asked for the whole sentence', () => {
    const text = 'Amazon said it used data appropriately; Apple denied it. Then more.';
    expect(text.slice(0, clauseEnd(text, 0))).toBe('Amazon said it used data appropriately');
    expect(text.slice(0, clauseEnd(text, 0, true))).toBe('Amazon said it used data appropriately; Apple denied it.');
  });

  it('does not stop inside a quotation', () => {
    const text = 'Netflix said: "We never did. Not once." Later came more.';
    expect(text.slice(0, clauseEnd(text, 0))).toBe('Netflix said: "We never did. Not once."');
  });
});

describe('sentenceStart', () => {
  it('finds where the sentence holding a position begins', () => {
    const text = 'First one. Second one here.';
    expect(sentenceStart(text, text.indexOf('here'))).toBe(text.indexOf('Second'));
  });
});
