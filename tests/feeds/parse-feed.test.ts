import { describe, expect, it } from 'vitest';
import { FeedParseError, parseFeed } from '../../src/feeds/parse-feed.js';

const feed = { id: 'news' };

function rss(items: string, version = '2.0'): string {
  return `<?xml version="1.0"?><rss version="${version}"><channel><title>News</title><link>http://example.test/</link>${items}</channel></rss>`;
}

describe('parseFeed', () => {
  it('maps an RSS 2.0 item to a FeedItem', async () => {
    const parsed = await parseFeed(
      rss(`<item><title>Bank responds</title><link>http://example.test/1</link><guid isPermaLink="false">id-1</guid>
        <description>&lt;p&gt;Short&lt;/p&gt;</description>
        <content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[<p>Long</p>]]></content:encoded>
        <pubDate>Tue, 02 Jan 2024 10:00:00 +0100</pubDate><author>desk@example.test</author></item>`),
      feed,
    );
    expect(parsed.title).toBe('News');
    expect(parsed.items).toEqual([
      {
        feedId: 'news',
        key: 'id-1',
        guid: 'id-1',
        link: 'http://example.test/1',
        title: 'Bank responds',
        summary: '<p>Short</p>',
        content: '<p>Long</p>',
        publishedAt: '2024-01-02T09:00:00.000Z',
        author: 'desk@example.test',
      },
    ]);
  });

  it('reads RSS 0.91 and RSS 1.0 (RDF) feeds', async () => {
    const old = await parseFeed(rss('<item><title>Old</title><link>http://example.test/old</link></item>', '0.91'), feed);
    expect(old.items[0]?.title).toBe('Old');
    const rdf = await parseFeed(
      `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel rdf:about="http://example.test/"><title>R</title></channel>
        <item rdf:about="http://example.test/r1"><title>RDF item</title><link>http://example.test/r1</link><dc:date>2024-03-01T00:00:00Z</dc:date><dc:creator>Ann</dc:creator></item>
      </rdf:RDF>`,
      feed,
    );
    expect(rdf.items[0]).toMatchObject({ title: 'RDF item', guid: 'http://example.test/r1', publishedAt: '2024-03-01T00:00:00.000Z', author: 'Ann' });
  });

  it('maps an Atom entry, with inline XHTML kept in order and relative links resolved against xml:base', async () => {
    const parsed = await parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.test/blog/"><title>A</title>
        <link rel="self" href="feed.xml"/>
        <entry><id>tag:example.test,2024:1</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Example <b>Atom</b> entry</div></title>
        <link rel="alternate" href="posts/1"/><summary>Plain</summary><content type="html">&lt;a href="x"&gt;x&lt;/a&gt;</content>
        <updated>2024-02-03T04:05:06Z</updated><author><name>Bo</name></author></entry></feed>`,
      feed,
    );
    expect(parsed.selfUrl).toBe('http://example.test/blog/feed.xml');
    expect(parsed.items[0]).toMatchObject({
      key: 'tag:example.test,2024:1',
      title: 'Example <b>Atom</b> entry',
      link: 'http://example.test/blog/posts/1',
      summary: 'Plain',
      content: '<a href="http://example.test/blog/x">x</a>',
      publishedAt: '2024-02-03T04:05:06.000Z',
      author: 'Bo',
    });
  });

  it('keeps two sibling divs of inline XHTML intact', async () => {
    const parsed = await parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><content type="xhtml"><div>one</div><div>two</div></content></entry></feed>`,
      feed,
    );
    expect(parsed.items[0]?.content).toBe('<div>one</div><div>two</div>');
  });

  it('keeps an item whose Atom date cannot be parsed, without a date', async () => {
    const parsed = await parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>a</id><title>Bad date</title><updated>yesterday-ish</updated></entry>
       <entry><id>b</id><title>Good</title><updated>2024-01-01T00:00:00Z</updated></entry></feed>`,
      feed,
    );
    expect(parsed.items.map((item) => [item.title, item.publishedAt])).toEqual([
      ['Bad date', undefined],
      ['Good', '2024-01-01T00:00:00.000Z'],
    ]);
    expect(parsed.warnings.join('\n')).toMatch(/unparseable date/);
  });

  it('repairs a bare ampersand and parses again', async () => {
    const parsed = await parseFeed(rss('<item><title>AT&T and Q&A</title><link>http://example.test/?a=1&b=2</link></item>'), feed);
    expect(parsed.items[0]?.title).toBe('AT&T and Q&A');
    expect(parsed.items[0]?.link).toBe('http://example.test/?a=1&b=2');
    expect(parsed.warnings).toContain('repaired bare "&" characters');
  });

  it('keys items without guid or link by a hash of title and date', async () => {
    const parsed = await parseFeed(rss('<item><title>Only a title</title></item>'), feed);
    expect(parsed.items[0]?.key).toMatch(/^hash:[0-9a-f]{16}$/);
  });

  it('uses a permalink guid as the link when there is no link', async () => {
    const parsed = await parseFeed(rss('<item><guid>http://example.test/p/9</guid><title>G</title></item>'), feed);
    expect(parsed.items[0]?.link).toBe('http://example.test/p/9');
  });

  it('decodes bytes in the charset named by the Content-Type header', async () => {
    const latin1 = Uint8Array.from(Buffer.from(rss('<item><title>Caf\u00e9</title></item>'), 'latin1'));
    const parsed = await parseFeed(latin1, feed, { contentType: 'application/rss+xml; charset=ISO-8859-1' });
    expect(parsed.items[0]?.title).toBe('Café');
  });

  it('decodes bytes in the charset named by the XML declaration', async () => {
    const body = `<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><item><title>\u201cquoted\u201d</title></item></channel></rss>`;
    const bytes = Uint8Array.from(body, (ch) => (ch === '\u201c' ? 0x93 : ch === '\u201d' ? 0x94 : ch.charCodeAt(0)));
    const parsed = await parseFeed(bytes, feed);
    expect(parsed.items[0]?.title).toBe('\u201cquoted\u201d');
  });

  it('expands simple entities declared in the DOCTYPE', async () => {
    const parsed = await parseFeed(
      `<!DOCTYPE rss [<!ENTITY id "tag:example.test,">]><rss version="2.0"><channel><item><guid isPermaLink="false">&id;2024</guid></item></channel></rss>`,
      feed,
    );
    expect(parsed.items[0]?.guid).toBe('tag:example.test,2024');
  });

  it('rejects an entity bomb cheaply, with a clear reason', async () => {
    const levels = Array.from({ length: 10 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const bomb = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">${levels}]><rss version="2.0"><channel><item><title>&lol10;</title></item></channel></rss>`;
    await expect(parseFeed(bomb, feed)).rejects.toThrow(/entity expansion attack/);
  });

  it('rejects external entities (XXE)', async () => {
    const xxe = `<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><item><title>&secret;</title></item></channel></rss>`;
    await expect(parseFeed(xxe, feed)).rejects.toThrow(/XXE/);
  });

  it('says so when given an HTML page', async () => {
    const error = await parseFeed('<!DOCTYPE html><html><head><title>Hi</title></head><body></body></html>', feed, {
      contentType: 'text/html',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedParseError);
    expect((error as Error).message).toBe('not a feed: got an HTML page');
  });

  it('gives a one-line reason for malformed XML', async () => {
    const error = await parseFeed('<rss version="2.0"><channel><item><title>x</item></channel></rss>', feed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedParseError);
    expect((error as Error).message).toMatch(/^malformed XML: /);
    expect((error as Error).message).not.toContain('\n');
  });

  it('loses only the item whose markup is too deeply nested to read', async () => {
    const deep = `${'<b>'.repeat(100_000)}${'</b>'.repeat(100_000)}`;
    const parsed = await parseFeed(rss(`<item><title>Kept</title></item><item><title>Deep</title><description>${deep}</description></item>`), feed);
    expect(parsed.items.map((item) => item.title)).toEqual(['Kept']);
    expect(parsed.warnings).toEqual(['item 2 skipped: markup nested deeper than 256 levels']);
  });

  it('refuses a document whose inline XHTML is never closed', async () => {
    const unclosed = `<feed xmlns="http://www.w3.org/2005/Atom"><entry>${'<content type="xhtml"><b>'.repeat(1000)}`;
    await expect(parseFeed(unclosed, feed)).rejects.toThrow(/^malformed XML: /);
  });

  it('refuses XML that is neither RSS nor Atom', async () => {
    await expect(parseFeed('<?xml version="1.0"?><opml><body/></opml>', feed)).rejects.toThrow(/neither RSS nor Atom/);
  });
});
