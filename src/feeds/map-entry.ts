// Maps one raw RSS item or Atom entry (an xml2js tree) to the fields of a FeedItem.
// Choices that differ from, or follow, the reference parser feedparser are listed in docs/feeds.md.
import { attribute, child, children, isElement, ownText, type XmlElement, type XmlNode } from './xml-node.js';

export interface MappedEntry {
  guid?: string;
  link?: string;
  title: string;
  summary: string;
  content?: string;
  publishedAt?: string;
  author?: string;
}

const ABSOLUTE_URL = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** Resolves a relative reference against a base; absolute ones are kept exactly as written. */
export function resolveUrl(reference: string, base: string | undefined): string {
  const trimmed = reference.trim();
  if (!base || ABSOLUTE_URL.test(trimmed)) return trimmed;
  try {
    return new URL(trimmed, base).href;
  } catch {
    return trimmed;
  }
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

/** Serialises an element's children when a publisher put raw markup where text belongs. */
function markupOf(node: XmlElement): string {
  let out = typeof node._ === 'string' ? node._ : '';
  for (const [name, value] of Object.entries(node)) {
    if (name === '_' || name === '$' || !Array.isArray(value)) continue;
    for (const element of value as unknown[]) {
      const inner = typeof element === 'string' ? escapeText(element) : isElement(element) ? markupOf(element) : '';
      out += inner ? `<${name}>${inner}</${name}>` : `<${name} />`;
    }
  }
  return out;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function plainOrMarkup(node: XmlNode | undefined): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node;
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

/**
 * The value of an Atom text construct (title, summary, content): text and HTML as written,
 * inline XHTML as markup without its wrapping div (Atom 1.0), base64 payloads decoded.
 */
export function atomText(node: XmlNode | undefined): string {
  if (node === undefined) return '';
  const type = (attribute(node, 'type') ?? 'text').toLowerCase();
  const mode = attribute(node, 'mode')?.toLowerCase();
  const text = plainOrMarkup(node);
  if (attribute(node, 'data-storywatch-markup')) {
    const markup = withoutNamespaceDeclarations(text);
    if (type === 'xhtml') {
      const wrapped = /^\s*<div\b[^>]*>([\s\S]*)<\/div>\s*$/.exec(markup);
      return wrapped ? (wrapped[1] ?? '') : markup.trim();
    }
    return markup;
  }
  const isTextual = ['text', 'html', 'xhtml'].includes(type) || type.startsWith('text/') || type.endsWith('+xml') || type.endsWith('/xml');
  if (mode === 'base64' || (!mode && !isTextual)) {
    try {
      return decodeBase64Utf8(text);
    } catch {
      return text;
    }
  }
  return text;
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
  const alternates = links.filter((link) => {
    const rel = attribute(link, 'rel') ?? 'alternate';
    return rel === 'alternate' && attribute(link, 'href');
  });
  const preferred = alternates.find((link) => /html/i.test(attribute(link, 'type') ?? 'text/html')) ?? alternates[0];
  const href = attribute(preferred, 'href');
  return href ? resolveUrl(href, baseOf(preferred, base)) : undefined;
}

export function mapAtomEntry(entry: XmlNode, feedBase: string | undefined, warnings: string[], label: string): MappedEntry {
  const base = baseOf(entry, feedBase);
  const titleNode = child(entry, 'title');
  const summaryNode = child(entry, 'summary');
  const contentNode = child(entry, 'content');
  const idNode = child(entry, 'id');
  const id = ownText(idNode).trim();
  const contentBase = baseOf(contentNode, base);
  const summaryBase = baseOf(summaryNode, base);
  const content =
    contentNode !== undefined && !attribute(contentNode, 'src') ? resolveHtmlLinks(atomText(contentNode), contentBase) : undefined;
  const summary = summaryNode !== undefined ? resolveHtmlLinks(atomText(summaryNode), summaryBase) : undefined;
  const authorNode = child(entry, 'author');
  const author = firstText(authorNode, ['name', 'email']) ?? firstText(entry, ['dc:creator']);
  return {
    guid: id ? resolveUrl(id, baseOf(idNode, base)) : undefined,
    link: atomAlternateLink(entry, base),
    title: resolveHtmlLinks(atomText(titleNode), baseOf(titleNode, base)),
    summary: summary ?? content ?? '',
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
  const descriptionNode = child(item, 'description') ?? child(item, 'dc:description');
  const contentNode = child(item, 'content:encoded') ?? child(item, 'xhtml:body') ?? child(item, 'body');
  const content = contentNode !== undefined ? resolveHtmlLinks(plainOrMarkup(contentNode), baseOf(contentNode, base)) : undefined;
  const summary = descriptionNode !== undefined ? resolveHtmlLinks(plainOrMarkup(descriptionNode), baseOf(descriptionNode, base)) : undefined;
  const titleNode = child(item, 'title') ?? child(item, 'dc:title');
  return {
    guid,
    link,
    title: plainOrMarkup(titleNode),
    summary: summary ?? content ?? '',
    content,
    publishedAt: dateOf(item, ['pubDate', 'dc:date', 'dcterms:issued', 'dcterms:created', 'dcterms:modified'], warnings, label),
    author: firstText(item, ['author', 'dc:creator', 'dc:author', 'itunes:author']),
  };
}
