// Text passes that run before the XML parser: cheap refusals (HTML pages, entity bombs, XXE),
// the one repair we attempt (bare `&`), and the small rewrites that let a prefix-based parser
// understand namespaced feeds.

/** A refusal that explains itself in one line. */
export class FeedRejection extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedRejection';
  }
}

const MAX_DECLARED_ENTITIES = 64;
const MAX_ENTITY_VALUE_CHARS = 1024;
const PREDEFINED_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

interface Doctype {
  start: number;
  end: number;
  internalSubset: string;
}

/**
 * Finds `<!DOCTYPE ...>` in the prolog (never inside the document, where `<!DOCTYPE` may sit in
 * CDATA), including an internal subset `[...]`, honouring quotes and comments.
 */
export function findDoctype(text: string): Doctype | undefined {
  const prolog = PROLOG.exec(text);
  const start = prolog?.[0].length ?? 0;
  if (!/^<!DOCTYPE\b/i.test(text.slice(start, start + 10))) return undefined;
  let i = start + 9;
  let subsetStart = -1;
  let subsetEnd = -1;
  let quote = '';
  while (i < text.length) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (subsetStart >= 0 && subsetEnd < 0 && text.startsWith('<!--', i)) {
      const close = text.indexOf('-->', i + 4);
      if (close < 0) return undefined;
      i = close + 3;
      continue;
    } else if (ch === '[' && subsetStart < 0) {
      subsetStart = i + 1;
    } else if (ch === ']' && subsetStart >= 0 && subsetEnd < 0) {
      subsetEnd = i;
    } else if (ch === '>' && (subsetStart < 0 || subsetEnd >= 0)) {
      const internalSubset = subsetStart >= 0 ? text.slice(subsetStart, subsetEnd) : '';
      return { start, end: i + 1, internalSubset };
    }
    i += 1;
  }
  return undefined;
}

/** Whitespace, the XML declaration, processing instructions and comments before the root. */
const PROLOG = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*/;

const ENTITY_DECLARATION = /<!ENTITY\s+(%\s+)?([^\s"'>]+)\s+(?:(SYSTEM|PUBLIC)\b|"([^"]*)"|'([^']*)')/g;

/**
 * Removes the DOCTYPE and expands the simple entities it declares, refusing anything that could
 * blow up (entities referring to entities) or reach outside the document (external entities).
 * The XML parser itself never expands declared entities, so this is the only place they grow.
 */
export function stripDoctype(text: string, warnings: string[]): string {
  const doctype = findDoctype(text);
  if (!doctype) return text;
  const entities = new Map<string, string>();
  for (const match of doctype.internalSubset.matchAll(ENTITY_DECLARATION)) {
    const isParameterEntity = Boolean(match[1]);
    const name = match[2] ?? '';
    const external = match[3];
    const value = match[4] ?? match[5] ?? '';
    // Parameter entities only shape the DTD, which we ignore: harmless, and never fetched.
    if (isParameterEntity) continue;
    if (external) throw new FeedRejection(`refused: external entity "${name}" declared in the DOCTYPE (XXE)`);
    const references = [...value.matchAll(/&([A-Za-z_][\w.:-]*);|%[^;\s]+;/g)].filter(
      (ref) => !ref[1] || !PREDEFINED_ENTITIES.has(ref[1]),
    );
    if (references.length > 0) {
      throw new FeedRejection(`refused: entity "${name}" refers to other entities (entity expansion attack)`);
    }
    if (value.length > MAX_ENTITY_VALUE_CHARS) throw new FeedRejection(`refused: entity "${name}" is too long`);
    entities.set(name, value);
    if (entities.size > MAX_DECLARED_ENTITIES) throw new FeedRejection('refused: too many entities declared in the DOCTYPE');
  }
  const before = text.slice(0, doctype.start);
  let after = text.slice(doctype.end);
  if (entities.size > 0) {
    // Each expansion replaces at least 3 characters with at most MAX_ENTITY_VALUE_CHARS; bound the total.
    const budget = after.length * 2 + 1_000_000;
    let grown = 0;
    after = after.replace(/&([A-Za-z_][\w.:-]*);/g, (reference, name: string) => {
      const value = entities.get(name);
      if (value === undefined) return reference;
      grown += value.length;
      if (grown > budget) throw new FeedRejection('refused: declared entities expand too much');
      return value;
    });
    warnings.push(`expanded ${entities.size} entities declared in the DOCTYPE`);
  }
  return before + after;
}

/** Name of the first element, skipping the prolog (declaration, comments, PIs, DOCTYPE). */
export function rootElementName(text: string): string | undefined {
  const doctype = findDoctype(text);
  let rest = doctype ? text.slice(doctype.end) : text;
  rest = rest.slice(PROLOG.exec(rest)?.[0].length ?? 0);
  return /^<([A-Za-z_][\w.:-]*)/.exec(rest)?.[1];
}

/** Refuses things that are plainly not feeds, before spending a parse on them. */
export function assertLooksLikeFeed(text: string, contentType: string | undefined): void {
  const root = rootElementName(text);
  if (!root) {
    if (/^\s*$/.test(text)) throw new FeedRejection('not a feed: the body is empty');
    if (/^\s*[[{]/.test(text)) throw new FeedRejection('not a feed: got JSON, not XML');
    if (/<html[\s>]/i.test(text.slice(0, 4096))) throw new FeedRejection('not a feed: got an HTML page');
    throw new FeedRejection('not a feed: the body is not XML');
  }
  const local = root.includes(':') ? root.slice(root.indexOf(':') + 1) : root;
  if (local.toLowerCase() === 'html') throw new FeedRejection('not a feed: got an HTML page');
  if (!['rss', 'feed', 'RDF', 'channel'].includes(local) && /text\/html/i.test(contentType ?? '')) {
    throw new FeedRejection('not a feed: got an HTML page');
  }
}

/** Escapes every `&` that does not start an entity or character reference. */
export function repairBareAmpersands(text: string): string {
  return text.replace(/&(?!(?:[A-Za-z_][\w.:-]*|#[0-9]+|#x[0-9A-Fa-f]+);)/g, '&amp;');
}

// Canonical prefixes the parser expects, by namespace URI. '' means "no prefix".
const ATOM_10 = 'http://www.w3.org/2005/Atom';
const ATOM_03 = 'http://purl.org/atom/ns#';
const CANONICAL_PREFIX: Record<string, string> = {
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://purl.org/rss/1.0/': '',
  'http://my.netscape.com/rdf/simple/0.9/': '',
  'http://backend.userland.com/rss2': '',
  'http://blogs.law.harvard.edu/tech/rss': '',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
};

/**
 * Maps each declared prefix to the prefix our mapping code looks for, so `<c:encoded>` with
 * `xmlns:c="http://purl.org/rss/1.0/modules/content/"` reads as `content:encoded`.
 */
export function prefixRenames(text: string): Map<string, string> {
  const renames = new Map<string, string>();
  const root = rootElementName(text) ?? '';
  const rootPrefix = root.includes(':') ? root.slice(0, root.indexOf(':')) : '';
  for (const match of text.matchAll(/\bxmlns:([A-Za-z_][\w.-]*)\s*=\s*["']([^"']*)["']/g)) {
    const prefix = match[1] ?? '';
    const uri = (match[2] ?? '').trim();
    let canonical = CANONICAL_PREFIX[uri];
    if (uri === ATOM_10 || uri === ATOM_03) canonical = prefix === rootPrefix ? '' : 'atom';
    if (canonical !== undefined && canonical !== prefix && !renames.has(prefix)) renames.set(prefix, canonical);
  }
  return renames;
}

export function renameTag(name: string, renames: Map<string, string>): string {
  const colon = name.indexOf(':');
  if (colon < 0 || renames.size === 0) return name;
  const canonical = renames.get(name.slice(0, colon));
  if (canonical === undefined) return name;
  const local = name.slice(colon + 1);
  return canonical ? `${canonical}:${local}` : local;
}

const CONSTRUCT_OPENING =
  /<((?:[A-Za-z_][\w.-]*:)?(?:title|subtitle|summary|content|rights|tagline|info|copyright|body))((?:\s+[^\s=/<>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*>/g;

function escapeMarkup(markup: string): string {
  return markup.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Atom carries inline XHTML (type="xhtml", or mode="xml" in Atom 0.3), RSS sometimes an XHTML
 * <body>. A tree parser loses the order of mixed text and elements, so keep the markup as text:
 * escape it before parsing and mark the element so the mapper knows the text is markup.
 * Linear in the document: once a closing tag is known to be absent, it is not searched for again.
 */
export function protectInlineXhtml(text: string): string {
  let out = '';
  let copied = 0;
  const noClosingFrom = new Map<string, number>();
  CONSTRUCT_OPENING.lastIndex = 0;
  for (let opening = CONSTRUCT_OPENING.exec(text); opening; opening = CONSTRUCT_OPENING.exec(text)) {
    const [whole, tag = '', attributes = ''] = opening;
    const isBody = /(?:^|:)body$/.test(tag);
    const isXhtml = isBody || /\btype\s*=\s*["'](?:xhtml|application\/xhtml\+xml)["']/.test(attributes);
    const isAtom03Xml = /\bmode\s*=\s*["']xml["']/.test(attributes) && !/\btype\s*=\s*["']text\/plain["']/.test(attributes);
    if (!isXhtml && !isAtom03Xml) continue;
    const innerStart = opening.index + whole.length;
    if (innerStart >= (noClosingFrom.get(tag) ?? Infinity)) continue;
    const closingTag = new RegExp(`</${tag.replace(/[.]/g, '\\.')}\\s*>`, 'g');
    closingTag.lastIndex = innerStart;
    const closing = closingTag.exec(text);
    if (!closing) {
      noClosingFrom.set(tag, innerStart);
      continue;
    }
    const inner = text.slice(innerStart, closing.index);
    CONSTRUCT_OPENING.lastIndex = closing.index + closing[0].length;
    if (!inner.includes('<')) continue;
    out += `${text.slice(copied, opening.index)}<${tag}${attributes} data-storywatch-markup="1">${escapeMarkup(inner)}</${tag}>`;
    copied = CONSTRUCT_OPENING.lastIndex;
  }
  return out + text.slice(copied);
}
