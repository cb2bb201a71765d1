// Maps one raw RSS item or Atom entry (an xml2js tree) to the fields of a FeedItem.
// Choices that differ from, or follow, the reference parser feedparser are listed in docs/feeds.md.
import type { FeedItem } from '../core/model.js';
import { canonicalHtml } from './canonical-html.js';
import { attribute, child, children, isElement, ownText, type XmlElement, type XmlNode } from './xml-node.js';

/** A FeedItem's fields as the feed gives them; parse-feed adds the feed id and the stable key. */
export type MappedEntry = Omit<FeedItem, 'feedId' | 'key'>;

const ABSOLUTE_URL = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** Resolves a relative reference against a base; absolute ones are kept exactly as written. */
export function resolveUrl(reference: string, base: string | undefined): string {
  const trimmed = reference.trim();
  if (!base || ABSOLUTE_URL.test(trimmed)) return trimmed;
  try {
    const resolved = new URL(trimmed, base).href;
    // Keep an IRI readable as the publisher wrote it (feedparser does too): undo our percent-encoding.
    return /[^\p{ASCII}]/u.test(trimmed) ? safeDecodeUri(resolved) : resolved;
  } catch {
    return trimmed;
  }
}

function safeDecodeUri(uri: string): string {
  try {
    return decodeURI(uri);
  } catch {
    return uri;
  }
}

/** Ids are opaque unless they are plainly a path ("/2024/05/story"); only those are resolved. */
export function resolveId(id: string, base: string | undefined): string {
  return /^(?:\/|\.\.?\/)/.test(id) ? resolveUrl(id, base) : id;
}

/** The xml:base in effect inside `node`, given the base of its parent. */
export function baseOf(node: XmlNode | undefined, parentBase: string | undefined): string | undefined {
  const declared = attribute(node, 'xml:base');
  return declared ? resolveUrl(declared, parentBase) : parentBase;
}

/** Rewrites relative href/src attributes in HTML so links still work outside the feed. */
export function resolveHtmlLinks(html: string, base: string | undefined): string {
  if (!base || !/\s(?:href|src)\s*=/i.test(html)) return html;
  return html.replace(/(\s(?:href|src)\s*=\s*)(["'])([^"']*)\2/gi, (_whole, prefix: string, quote: string, url: string) => {
    return `${prefix}${quote}${resolveUrl(url, base)}${quote}`;
  });
}

const MAX_MARKUP_DEPTH = 256;

/** Serialises an element's children when a publisher put raw markup where text belongs. */
function markupOf(node: XmlElement, depth = 0): string {
  if (depth > MAX_MARKUP_DEPTH) throw new Error(`markup nested deeper than ${MAX_MARKUP_DEPTH} levels`);
  let out = typeof node._ === 'string' ? escapeText(node._) : '';
  for (const [name, value] of Object.entries(node)) {
    if (name === '_' || name === '$' || !Array.isArray(value)) continue;
    for (const element of value as unknown[]) {
      const inner = typeof element === 'string' ? escapeText(element) : isElement(element) ? markupOf(element, depth + 1) : '';
      const attributes = isElement(element) && element.$ ? Object.entries(element.$).map(([key, v]) => ` ${key}="${escapeAttribute(v)}"`).join('') : '';
      out += inner ? `<${name}${attributes}>${inner}</${name}>` : `<${name}${attributes} />`;
    }
  }
  return out;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

/** Character references for markup characters become the named ones HTML readers expect. */
function canonicalCharacterReferences(markup: string): string {
  return markup.replace(/&#(?:([0-9]+)|[xX]([0-9a-fA-F]+));/g, (reference, decimal: string | undefined, hex: string | undefined) => {
    const code = decimal !== undefined ? Number(decimal) : parseInt(hex ?? '', 16);
    const named: Record<number, string> = { 38: '&amp;', 60: '&lt;', 62: '&gt;', 34: '&quot;' };
    return named[code] ?? reference;
  });
}

/** Markup kept as text by protectInlineXhtml, as HTML: namespace clutter removed. */
function protectedMarkup(node: XmlNode): string | undefined {
  if (!attribute(node, 'data-storywatch-markup')) return undefined;
  return canonicalCharacterReferences(withoutNamespaceDeclarations(ownText(node)));
}

function plainOrMarkup(node: XmlNode | undefined): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node;
  const markup = protectedMarkup(node);
  if (markup !== undefined) return markup;
  const text = ownText(node);
  const hasChildren = Object.keys(node).some((key) => key !== '_' && key !== '$');
  return hasChildren ? markupOf(node) : text;
}

function decodeBase64Utf8(text: string): string {
  return new TextDecoder().decode(Buffer.from(text.replace(/\s+/g, ''), 'base64'));
}

function withoutNamespaceDeclarations(markup: string): string {
  return markup
    .replace(/\s+xmlns(?::[\w.-]+)?\s*=\s*(?:"[^"]*"|'[^']*')/g, '')
    .replace(/<(\/?)xhtml:/g, '<$1');
}

/** Atom 1.0 wraps inline XHTML in one div that is not part of the content. */
function withoutWrappingDiv(markup: string): string {
  const wrapped = /^\s*<div\b[^>]*>([\s\S]*)<\/div>\s*$/.exec(markup);
  const inner = wrapped?.[1];
  if (inner === undefined) return markup;
  // "<div>one</div><div>two</div>" also matches: the first div must close at the very end.
  let depth = 0;
  for (const tag of inner.matchAll(/<(\/?)div\b[^>]*>/g)) {
    depth += tag[1] ? -1 : 1;
    if (depth < 0) return markup;
  }
  return depth === 0 ? inner : markup;
}

/** A text value and whether it is HTML (and if so, whether written as XML). */
interface TextValue {
  text: string;
  html: boolean;
  fromXml: boolean;
}

function hasChildElements(node: XmlNode): boolean {
  return typeof node !== 'string' && Object.keys(node).some((key) => key !== '_' && key !== '$');
}

/**
 * The value of an Atom text construct (title, summary, content): text and HTML as written,
 * inline XHTML as markup without its wrapping div (Atom 1.0), base64 payloads decoded.
 */
function atomValue(node: XmlNode, atom10: boolean): TextValue {
  const type = (attribute(node, 'type') || 'text').toLowerCase();
  const mode = attribute(node, 'mode')?.toLowerCase();
  const markup = protectedMarkup(node);
  if (markup !== undefined) {
    const isXhtml = type === 'xhtml' || type === 'application/xhtml+xml';
    return { text: atom10 && isXhtml ? withoutWrappingDiv(markup) : markup, html: true, fromXml: true };
  }
  const isHtml = type === 'html' || type === 'text/html' || type === 'xhtml' || type === 'application/xhtml+xml';
  const divs = children(node, 'div');
  if (isHtml && divs.length === 1 && Object.keys(node).every((key) => key === 'div' || key === '$') && !hasChildElements(divs[0] as XmlNode)) {
    // Escaped HTML wrapped in a stray XHTML div (TypePad): the div's text is the HTML.
    return { text: ownText(divs[0]), html: true, fromXml: false };
  }
  const text = plainOrMarkup(node);
  const isTextual = ['text', 'html', 'xhtml'].includes(type) || type.startsWith('text/') || type.endsWith('+xml') || type.endsWith('/xml');
  if (mode === 'base64' || (!mode && !isTextual)) {
    try {
      const decoded = decodeBase64Utf8(text);
      return { text: decoded, html: /<[A-Za-z/!]/.test(decoded), fromXml: false };
    } catch {
      return { text, html: false, fromXml: false };
    }
  }
  return { text, html: isHtml || hasChildElements(node), fromXml: hasChildElements(node) };
}

/** RSS descriptions and content are HTML, escaped or (rarely) inline XHTML. */
function rssHtmlValue(node: XmlNode): TextValue {
  const markup = protectedMarkup(node);
  if (markup !== undefined) return { text: markup, html: true, fromXml: true };
  return { text: plainOrMarkup(node), html: true, fromXml: hasChildElements(node) };
}

/** Trimmed; HTML gets its relative links resolved and one canonical spelling. */
function finish(value: TextValue, base: string | undefined): string {
  if (!value.html) return value.text.trim();
  return canonicalHtml(resolveHtmlLinks(value.text, base), { fromXml: value.fromXml }).trim();
}

export function atomText(node: XmlNode | undefined, atom10 = true, base?: string): string {
  return node === undefined ? '' : finish(atomValue(node, atom10), base);
}

/** An ISO 8601 date from RFC 822 or W3C-DTF text; undefined when the text is not a date. */
export function parseFeedDate(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  let date = new Date(trimmed);
  if (Number.isNaN(date.getTime())) {
    // "Mon, 1 Jan 2024 10:00:00 +0100 (CET)" and other trailing comments.
    date = new Date(trimmed.replace(/\s*\([^)]*\)\s*$/, ''));
  }
  if (Number.isNaN(date.getTime())) return undefined;
  return date.toISOString();
}

function firstText(parent: unknown, names: string[]): string | undefined {
  for (const name of names) {
    const value = ownText(child(parent, name)).trim();
    if (value) return value;
  }
  return undefined;
}

function dateOf(parent: unknown, names: string[], warnings: string[], label: string): string | undefined {
  for (const name of names) {
    const raw = firstText(parent, [name]);
    if (!raw) continue;
    const iso = parseFeedDate(raw);
    if (iso) return iso;
    warnings.push(`${label}: unparseable date "${raw.slice(0, 60)}" ignored`);
  }
  return undefined;
}

/** The rel="alternate" (or rel-less) link of an Atom element, resolved against xml:base. */
export function atomAlternateLink(parent: unknown, base: string | undefined): string | undefined {
  const links = children(parent, 'link');
  // Some Atom 0.3 feeds put the URL in the element text instead of href.
  const target = (link: XmlNode): string => (attribute(link, 'href') ?? ownText(link)).trim();
  const alternates = links.filter((link) => (attribute(link, 'rel') ?? 'alternate') === 'alternate' && target(link));
  const preferred = alternates.find((link) => /html/i.test(attribute(link, 'type') ?? 'text/html')) ?? alternates[0];
  const href = preferred === undefined ? undefined : target(preferred);
  return href ? resolveUrl(href, baseOf(preferred, base)) : undefined;
}

/** Media RSS description, on the entry or in its media:group: a plain-text last resort for the summary. */
function mediaDescription(entry: XmlNode): string | undefined {
  return firstText(entry, ['media:description']) ?? firstText(child(entry, 'media:group'), ['media:description']);
}

export function mapAtomEntry(entry: XmlNode, feedBase: string | undefined, warnings: string[], label: string, atom10 = true): MappedEntry {
  const base = baseOf(entry, feedBase);
  const titleNode = child(entry, 'title');
  const summaryNode = child(entry, 'summary');
  const contentNode = child(entry, 'content');
  const idNode = child(entry, 'id');
  const id = ownText(idNode).trim();
  const contentBase = baseOf(contentNode, base);
  const summaryBase = baseOf(summaryNode, base);
  const content =
    contentNode !== undefined && !attribute(contentNode, 'src') ? atomText(contentNode, atom10, contentBase) : undefined;
  const summary = summaryNode !== undefined ? atomText(summaryNode, atom10, summaryBase) : undefined;
  const authorNode = child(entry, 'author');
  const author = firstText(authorNode, ['name', 'email']) ?? firstText(entry, ['dc:creator']);
  return {
    guid: id ? resolveId(id, baseOf(idNode, base)) : undefined,
    link: atomAlternateLink(entry, base),
    title: atomText(titleNode, atom10, baseOf(titleNode, base)),
    summary: summary ?? content ?? mediaDescription(entry) ?? '',
    content,
    publishedAt: dateOf(entry, ['published', 'issued', 'updated', 'modified', 'created', 'dc:date'], warnings, label),
    author,
  };
}

function looksLikeWebUrl(text: string): boolean {
  return /^https?:\/\/\S+$/i.test(text);
}

export function mapRssItem(item: XmlNode, channelBase: string | undefined, warnings: string[], label: string): MappedEntry {
  const base = baseOf(item, channelBase);
  const guidNode = child(item, 'guid');
  const guid = ownText(guidNode).trim() || attribute(item, 'rdf:about')?.trim() || undefined;
  const guidIsPermaLink = (attribute(guidNode, 'isPermaLink') ?? 'true').toLowerCase() !== 'false';
  const linkNode = child(item, 'link');
  let link = ownText(linkNode).trim() ? resolveUrl(ownText(linkNode), baseOf(linkNode, base)) : undefined;
  link ??= atomAlternateLink({ link: children(item, 'atom:link') }, base);
  if (!link && guid && guidNode !== undefined && guidIsPermaLink && looksLikeWebUrl(guid)) link = guid;
  const descriptionNode = child(item, 'description') ?? child(item, 'dc:description') ?? child(item, 'itunes:summary') ?? child(item, 'summary');
  const contentNode = child(item, 'content:encoded') ?? child(item, 'xhtml:body') ?? child(item, 'body') ?? child(item, 'fullitem');
  const content = contentNode !== undefined ? finish(rssHtmlValue(contentNode), baseOf(contentNode, base)) : undefined;
  const summary = descriptionNode !== undefined ? finish(rssHtmlValue(descriptionNode), baseOf(descriptionNode, base)) : undefined;
  const titleNode = child(item, 'title') ?? child(item, 'dc:title') ?? child(item, 'media:title');
  return {
    guid,
    link,
    title: plainOrMarkup(titleNode).trim(),
    summary: summary ?? content ?? mediaDescription(item) ?? '',
    content,
    publishedAt: dateOf(item, ['pubDate', 'dc:date', 'dcterms:issued', 'dcterms:created', 'dcterms:modified'], warnings, label),
    author: firstText(item, ['author', 'dc:creator', 'dc:author', 'itunes:author']),
  };
}
