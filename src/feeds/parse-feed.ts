// Feed text or bytes → FeedItems. rss-parser (sax + xml2js underneath) parses the XML and tells
// RSS 0.9x / 1.0 / 2.0 from Atom; the mapping to FeedItem is ours (map-entry.ts), guarded per
// item so one broken entry or date never loses the rest of the feed.
import Parser from 'rss-parser';
import type { FeedItem } from '../core/model.js';
import { itemKey } from '../core/dedupe/item-key.js';
import { decodeBody } from './decode-body.js';
import { atomAlternateLink, atomText, baseOf, mapAtomEntry, mapRssItem, resolveUrl, type MappedEntry } from './map-entry.js';
import { attribute, child, children, ownText, type XmlNode } from './xml-node.js';
import {
  FeedRejection,
  assertLooksLikeFeed,
  prefixRenames,
  protectInlineXhtml,
  renameTag,
  repairBareAmpersands,
  stripDoctype,
} from './xml-prepare.js';

export interface ParsedFeed {
  title?: string;
  link?: string;
  selfUrl?: string;
  items: FeedItem[];
  warnings: string[];
}

export interface ParseFeedOptions {
  /** The HTTP Content-Type, for its charset and to recognise HTML pages. */
  contentType?: string;
  /** Where the feed came from: relative links resolve against it. */
  baseUrl?: string;
}

/** The feed cannot be used at all; the message is one line, fit for a log or a channel. */
export class FeedParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedParseError';
  }
}

/** parseString is synchronous: a body this large would block the process for too long. */
const MAX_PARSE_CHARS = 20_000_000;

type RawFeed =
  | { format: 'atom'; root: XmlNode }
  | { format: 'rss'; root: XmlNode; channel: XmlNode; items: XmlNode[] };

/** RSS 0.9x/2.0 keep items in the channel; RSS 1.0 next to it; some feeds have no channel at all. */
function rawRss(root: XmlNode): RawFeed {
  const channel = child(root, 'channel') ?? root;
  const items = children(channel, 'item');
  return { format: 'rss', root, channel, items: items.length > 0 ? items : children(root, 'item') };
}

/**
 * rss-parser builds its own item objects, with its own quirks (an unparseable Atom date throws a
 * RangeError that loses the whole feed). We keep its XML parsing and format detection and take
 * the raw trees, which map-entry.ts turns into FeedItems one guarded entry at a time.
 */
class RawFeedParser extends Parser {
  buildAtomFeed(xmlObj: { feed: XmlNode }): RawFeed {
    return { format: 'atom', root: xmlObj.feed };
  }

  buildRSS2(xmlObj: { rss: XmlNode }): RawFeed {
    return rawRss(xmlObj.rss);
  }

  buildRSS0_9(xmlObj: { rss: XmlNode }): RawFeed {
    return rawRss(xmlObj.rss);
  }

  buildRSS1(xmlObj: { 'rdf:RDF': XmlNode }): RawFeed {
    return rawRss(xmlObj['rdf:RDF']);
  }
}

function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

async function parseXml(text: string): Promise<RawFeed> {
  const renames = prefixRenames(text);
  const parser = new RawFeedParser({
    defaultRSS: 2,
    xml2js: { strict: true, tagNameProcessors: [(name: string) => renameTag(name, renames)] },
  });
  return (await parser.parseString(text)) as unknown as RawFeed;
}

function describeXmlError(error: unknown): string {
  const message = oneLine(error instanceof Error ? error.message : String(error));
  if (/Feed not recognized/i.test(message)) return 'not a feed: the XML is neither RSS nor Atom';
  return `malformed XML: ${message}`;
}

function decode(body: string | Uint8Array, contentType: string | undefined, warnings: string[]): string {
  if (typeof body === 'string') return body.replace(/^\uFEFF/, '');
  const decoded = decodeBody(body, contentType);
  warnings.push(...decoded.warnings);
  return decoded.text.replace(/^\uFEFF/, '');
}

function toFeedItem(feedId: string, entry: MappedEntry): FeedItem {
  const item: FeedItem = {
    feedId,
    key: itemKey(entry),
    title: entry.title.trim(),
    summary: entry.summary,
  };
  if (entry.guid) item.guid = entry.guid;
  if (entry.link) item.link = entry.link;
  if (entry.content !== undefined) item.content = entry.content;
  if (entry.publishedAt) item.publishedAt = entry.publishedAt;
  if (entry.author) item.author = entry.author;
  return item;
}

function rssSelfUrl(channel: XmlNode, base: string | undefined): string | undefined {
  const self = children(channel, 'atom:link').find((link) => attribute(link, 'rel') === 'self');
  const href = attribute(self, 'href');
  return href ? resolveUrl(href, base) : undefined;
}

function atomSelfUrl(root: XmlNode, base: string | undefined): string | undefined {
  const self = children(root, 'link').find((link) => attribute(link, 'rel') === 'self');
  const href = attribute(self, 'href');
  return href ? resolveUrl(href, base) : undefined;
}

/** Atom 0.3 says so (version="0.3" or its namespace); anything else is read as Atom 1.0. */
function isAtom10(root: XmlNode): boolean {
  const version = attribute(root, 'version') ?? '';
  return !version.startsWith('0.') && attribute(root, 'xmlns') !== 'http://purl.org/atom/ns#';
}

function mapFeed(raw: RawFeed, feedId: string, baseUrl: string | undefined, warnings: string[]): Omit<ParsedFeed, 'warnings'> {
  const items: FeedItem[] = [];
  const entries = raw.format === 'atom' ? children(raw.root, 'entry') : raw.items;
  const rootBase = baseOf(raw.root, baseUrl);
  const base = raw.format === 'atom' ? rootBase : baseOf(raw.channel, rootBase);
  const atom10 = raw.format === 'atom' && isAtom10(raw.root);
  entries.forEach((entry, index) => {
    const label = `item ${index + 1}`;
    try {
      const mapped = raw.format === 'atom' ? mapAtomEntry(entry, base, warnings, label, atom10) : mapRssItem(entry, base, warnings, label);
      items.push(toFeedItem(feedId, mapped));
    } catch (error) {
      warnings.push(`${label} skipped: ${oneLine(error instanceof Error ? error.message : String(error))}`);
    }
  });
  if (raw.format === 'atom') {
    const title = atomText(child(raw.root, 'title'), atom10).trim();
    return { title: title || undefined, link: atomAlternateLink(raw.root, base), selfUrl: atomSelfUrl(raw.root, base), items };
  }
  const title = ownText(child(raw.channel, 'title')).trim();
  const link = ownText(child(raw.channel, 'link')).trim();
  return {
    title: title || undefined,
    link: link ? resolveUrl(link, base) : undefined,
    selfUrl: rssSelfUrl(raw.channel, base),
    items,
  };
}

function withoutUndefined(parsed: ParsedFeed): ParsedFeed {
  const result: ParsedFeed = { items: parsed.items, warnings: parsed.warnings };
  if (parsed.title !== undefined) result.title = parsed.title;
  if (parsed.link !== undefined) result.link = parsed.link;
  if (parsed.selfUrl !== undefined) result.selfUrl = parsed.selfUrl;
  return result;
}

/**
 * Parses an RSS 0.9x/1.0/2.0 or Atom feed. Throws FeedParseError (one-line message) when the input
 * is not a usable feed; otherwise returns every item it could read, with warnings for the rest.
 */
export async function parseFeed(
  body: string | Uint8Array,
  feed: { id: string },
  options: ParseFeedOptions = {},
): Promise<ParsedFeed> {
  const warnings: string[] = [];
  try {
    let text = decode(body, options.contentType, warnings);
    if (text.length > MAX_PARSE_CHARS) throw new FeedRejection(`refused: the feed is larger than ${MAX_PARSE_CHARS} characters`);
    assertLooksLikeFeed(text, options.contentType);
    text = protectInlineXhtml(stripDoctype(text, warnings));
    let raw: RawFeed;
    try {
      raw = await parseXml(text);
    } catch (firstError) {
      const repaired = repairBareAmpersands(text);
      if (repaired === text) throw new FeedParseError(describeXmlError(firstError));
      try {
        raw = await parseXml(repaired);
      } catch {
        throw new FeedParseError(describeXmlError(firstError));
      }
      warnings.push('repaired bare "&" characters');
    }
    return withoutUndefined({ ...mapFeed(raw, feed.id, options.baseUrl, warnings), warnings });
  } catch (error) {
    if (error instanceof FeedParseError) throw error;
    if (error instanceof FeedRejection) throw new FeedParseError(error.message);
    throw new FeedParseError(`unreadable feed: ${oneLine(error instanceof Error ? error.message : String(error))}`);
  }
}
