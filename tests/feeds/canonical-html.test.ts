import { describe, expect, it } from 'vitest';
import { canonicalHtml } from '../../src/feeds/canonical-html.js';

describe('canonicalHtml', () => {
  it('writes void elements as <br /> and escapes bare ampersands', () => {
    expect(canonicalHtml('a<br/>b<br>c & d &amp; e &#X61;', { fromXml: false })).toBe('a<br />b<br />c &amp; d &amp; e &#x61;');
  });

  it('sorts attributes and quotes them with double quotes', () => {
    expect(canonicalHtml(`<a title='t' href=x>y</a>`, { fromXml: false })).toBe('<a href="x" title="t">y</a>');
  });

  it('gives SVG and MathML roots their namespace and xlink users theirs', () => {
    expect(canonicalHtml('<svg:svg width="1"><svg:a xlink:href="u"><svg:circle r="2"/></svg:a></svg:svg>', { fromXml: true })).toBe(
      '<svg width="1" xmlns="http://www.w3.org/2000/svg"><a xlink:href="u" xmlns:xlink="http://www.w3.org/1999/xlink"><circle r="2"></circle></a></svg>',
    );
  });

  it('keeps comments and leaves text without markup alone', () => {
    expect(canonicalHtml('x <!-- a<b --> y', { fromXml: false })).toBe('x <!-- a<b --> y');
    expect(canonicalHtml('plain text', { fromXml: false })).toBe('plain text');
  });

  it('keeps a stray < as text and still reads the tags after it', () => {
    expect(canonicalHtml('1 < 2 <b class=x>bold</b> 3 <a x<a y>', { fromXml: false })).toBe('1 < 2 <b class="x">bold</b> 3 <a x<a y="y">');
  });

  it('removes nothing: scripts stay (renderers escape feed text)', () => {
    expect(canonicalHtml('<script>alert(1)</script>', { fromXml: false })).toBe('<script>alert(1)</script>');
  });
});
