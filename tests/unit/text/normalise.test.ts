import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText, normaliseText } from '../../../src/core/text/normalise.js';

describe('normaliseText', () => {
  it('turns HTML into text, keeping block breaks as line breaks and dropping scripts', () => {
    const html = '<p>Netflix <b>said</b> it never read messages.</p><script>alert(1)</script><p>Second</p>';
    expect(normaliseText(html)).toBe('Netflix said it never read messages.\nSecond');
  });

  it('decodes named, decimal and hexadecimal entities and leaves unknown names as written', () => {
    expect(decodeEntities('AT&amp;T &#8220;hi&#x201D; &eacute; &bogus;')).toBe('AT&T “hi” é &bogus;');
  });

  it('makes curly quotes, apostrophes and dashes plain so aliases and quotes match one way', () => {
    expect(normaliseText('Netflix’s “statement” — «quoted» ‘too’')).toBe('Netflix\'s "statement" - "quoted" \'too\'');
  });

  it('reads German, French and CJK quotation marks as plain quotes ("„…“", "« … »", "「…」")', () => {
    expect(normaliseText('Initech: „Nie.“ Hooli: « Jamais. » Vandelay: 「決して」『内』')).toBe('Initech: "Nie." Hooli: " Jamais. " Vandelay: "決して""内"');
  });

  it('applies NFKC so compatibility forms (full-width letters, ligatures) read as plain letters', () => {
    expect(normaliseText('Ｎｅｔｆｌｉｘ ﬁnds')).toBe('Netflix finds');
  });

  it('collapses runs of spaces, non-breaking spaces and zero-width characters', () => {
    expect(normaliseText('Royal\u00a0Bank   of\u200b Canada \n\n  said')).toBe('Royal Bank of Canada\nsaid');
  });

  it('reads CDATA sections and entity-escaped HTML the way feeds deliver them', () => {
    expect(htmlToText('<![CDATA[<p>One &amp; two</p>]]>').trim()).toBe('One & two');
  });

  it('returns an empty string for a missing field', () => {
    expect(normaliseText(undefined)).toBe('');
  });
});

describe('normaliseText edge cases', () => {
  it.each([
    [' lead  and  trail ', 'lead and trail'],
    ['a\u00a0 b', 'a b'],
    ['a \u200b b', 'a b'],
    ['tab\there', 'tab here'],
    ['a \n b', 'a\nb'],
    ['\u00a0\u00a0x', 'x'],
  ])('normalises %j to %j', (input, expected) => {
    expect(normaliseText(input)).toBe(expected);
  });
});
