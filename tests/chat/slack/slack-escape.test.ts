import { describe, expect, it } from 'vitest';
import { escapeSlackText, escapeWithin, safeLinkUrl, slackLink, slackMentions } from '../../../src/chat/slack/slack-escape.js';
import { cutAtWord } from '../../../src/core/render/cut-at-word.js';

describe('escaping feed text for Slack', () => {
  it('escapes Slack control characters so no markup survives', () => {
    expect(escapeSlackText('Q&A: <b>1 > 0</b>')).toBe('Q&amp;A: &lt;b&gt;1 &gt; 0&lt;/b&gt;');
  });

  it('escapes the ampersand of an entity already in the text, so it shows as written', () => {
    expect(escapeSlackText('&lt;!channel&gt;')).toBe('&amp;lt;!channel&amp;gt;');
  });

  it('breaks literal @channel, @here and @everyone so they cannot ping, keeping ordinary @names', () => {
    const escaped = escapeSlackText('@channel @Here @everyone @channels @newsroom');
    expect(escaped).not.toMatch(/@(channel|here|everyone)\b/i);
    expect(escaped.replace(/\u200B/g, '')).toBe('@channel @Here @everyone @channels @newsroom');
    expect(escaped).toContain('@newsroom');
  });
});

describe('links', () => {
  it('accepts http and https urls only', () => {
    expect(safeLinkUrl('https://news.example/a')).toBe('https://news.example/a');
    expect(safeLinkUrl('http://news.example/a')).toBe('http://news.example/a');
    for (const bad of ['javascript:alert(1)', 'slack://open', 'mailto:a@b.example', '/relative/path', 'not a url', 'ftp://x.example/']) {
      expect(safeLinkUrl(bad)).toBeUndefined();
    }
  });

  it('keeps a url from breaking out of the link: pipes, angle brackets and ampersands are encoded', () => {
    expect(safeLinkUrl('https://news.example/a?x=1&y=2|<!channel>')).toBe('https://news.example/a?x=1&amp;y=2%7C%3C!channel%3E');
  });

  it('renders <url|text> with the text escaped, and plain text for an unsafe url', () => {
    expect(slackLink('https://news.example/a', 'Tom & Jerry <3')).toBe('<https://news.example/a|Tom &amp; Jerry &lt;3>');
    expect(slackLink('javascript:alert(1)', 'Click <here>')).toBe('Click &lt;here&gt;');
    expect(slackLink('https://news.example/a', '  ')).toBe('<https://news.example/a|https://news.example/a>');
  });

  it('keeps a link within its length limit', () => {
    const link = slackLink('https://news.example/a', 'word & '.repeat(1000), 300);
    expect(link.length).toBeLessThanOrEqual(300);
    expect(link.startsWith('<https://news.example/a|')).toBe(true);
    expect(link.endsWith('…>')).toBe(true);
  });
});

describe('mentions', () => {
  it('builds <@id> only from well-formed user ids, once each', () => {
    expect(slackMentions(['U0ABC', 'W12', 'U0ABC', 'u0abc', '<!channel>', 'U0A>', 'C0CHANNEL', ''])).toEqual(['<@U0ABC>', '<@W12>']);
    expect(slackMentions(undefined)).toEqual([]);
  });
});

describe('cutting long text', () => {
  it('leaves text that fits alone', () => {
    expect(cutAtWord('short quote', 20)).toBe('short quote');
  });

  it('cuts at a word boundary with an ellipsis, within the limit', () => {
    const cut = cutAtWord('We never asked for access to private messages of anyone', 30);
    expect(cut).toBe('We never asked for access to…');
    expect(cut.length).toBeLessThanOrEqual(30);
  });

  it('cuts inside a very long word rather than losing everything', () => {
    expect(cutAtWord('a'.repeat(50), 10)).toBe(`${'a'.repeat(9)}…`);
  });

  it('never splits an emoji in half', () => {
    const cut = cutAtWord('😀'.repeat(10), 6);
    expect(cut).toBe('😀😀…');
    expect(() => encodeURIComponent(cut)).not.toThrow();
  });

  it('escapes and fits: the escaped result stays within the limit and never ends in a broken entity', () => {
    for (let max = 5; max < 60; max += 1) {
      const escaped = escapeWithin('A & B < C > D & E & F & G & H & I & J & K & L & M', max);
      expect(escaped.length).toBeLessThanOrEqual(max);
      expect(escaped).not.toMatch(/&(a|am|l|g)?…|&(amp|lt|gt)(?!;)/);
    }
  });

  it('keeps as much as fits, not just a stub, when escaping triples the length', () => {
    const escaped = escapeWithin('&'.repeat(1000), 3000);
    expect(escaped.length).toBeLessThanOrEqual(3000);
    expect(escaped.length).toBeGreaterThan(2900);
  });
});
