// One spelling for the HTML in feed items: the same markup written two ways by two publishers (or
// one publisher on two days) comes out identical, which keeps fingerprints stable. This changes
// how markup is written, never what it says: nothing is removed (no sanitising; renderers escape).
// The spelling follows feedparser's: sorted attributes in double quotes, `<br />`, explicit
// namespaces on SVG/MathML, `&amp;` for bare ampersands.

const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const ROOT_NAMESPACES: Record<string, string> = {
  svg: 'http://www.w3.org/2000/svg',
  math: 'http://www.w3.org/1998/Math/MathML',
};
const XLINK_NAMESPACE = 'http://www.w3.org/1999/xlink';

/** The inside of a tag, between `<` and `>`: `/name`, `!declaration`, or `name attributes /`. */
const CLOSING_TAG = /^\/([A-Za-z][\w:.-]*)\s*$/;
const DECLARATION = /^![A-Za-z]/;
const OPENING_TAG = /^([A-Za-z][\w:.-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)$/;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

/** Escapes `&` that does not start a reference, and writes hex references with a lower-case x. */
function canonicalText(text: string): string {
  return text.replace(/&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);)/g, '&amp;').replace(/&#X/g, '&#x');
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

export interface CanonicalHtmlOptions {
  /** The markup came from XML (inline XHTML): `<x/>` means `<x></x>` and element prefixes go. */
  fromXml: boolean;
}

function writeTag(inside: string, options: CanonicalHtmlOptions): string | undefined {
  const closing = CLOSING_TAG.exec(inside);
  if (closing) {
    const closed = options.fromXml ? localName(closing[1] ?? '') : (closing[1] ?? '');
    return VOID_ELEMENTS.has(closed.toLowerCase()) ? '' : `</${closed}>`;
  }
  if (DECLARATION.test(inside)) return `<${inside}>`;
  const opening = OPENING_TAG.exec(inside);
  if (!opening) return undefined;
  const [, tagName = '', attributeText = '', selfClosing] = opening;
  const name = options.fromXml ? localName(tagName) : tagName;
  const attributes = new Map<string, string>();
  for (const attribute of attributeText.matchAll(ATTRIBUTE)) {
    const attributeName = attribute[1] ?? '';
    if (attributeName === 'xmlns' || attributeName.startsWith('xmlns:')) continue;
    const value = attribute[2] ?? attribute[3] ?? attribute[4];
    attributes.set(attributeName, value === undefined ? attributeName : value);
  }
  const namespace = ROOT_NAMESPACES[name.toLowerCase()];
  if (namespace) attributes.set('xmlns', namespace);
  if ([...attributes.keys()].some((key) => key.startsWith('xlink:'))) attributes.set('xmlns:xlink', XLINK_NAMESPACE);
  const written = [...attributes.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => ` ${key}="${canonicalText(value).replace(/"/g, '&quot;')}"`)
    .join('');
  if (VOID_ELEMENTS.has(name.toLowerCase())) return `<${name}${written} />`;
  if (selfClosing && options.fromXml) return `<${name}${written}></${name}>`;
  return `<${name}${written}>`;
}

/** The end of a `<!--` comment or `<![CDATA[` section starting at `start`, if it is one. */
function rawSectionEnd(html: string, start: number): number | undefined {
  for (const [open, close] of [
    ['<!--', '-->'],
    ['<![CDATA[', ']]>'],
  ] as const) {
    if (!html.startsWith(open, start)) continue;
    const end = html.indexOf(close, start + open.length);
    return end < 0 ? html.length : end + close.length;
  }
  return undefined;
}

/**
 * Linear in the input: a tag is the text between a `<` and the next `>` with no other `<` in
 * between; anything else is text. Hostile markup cannot make it backtrack.
 */
export function canonicalHtml(html: string, options: CanonicalHtmlOptions): string {
  if (!html.includes('<') && !html.includes('&')) return html;
  let out = '';
  let textStart = 0;
  let cursor = 0;
  let nextGreater = -1;
  let nextLess = -1;
  for (;;) {
    const less = html.indexOf('<', cursor);
    if (less < 0) break;
    const rawEnd = rawSectionEnd(html, less);
    if (rawEnd !== undefined) {
      out += canonicalText(html.slice(textStart, less)) + html.slice(less, rawEnd);
      textStart = cursor = rawEnd;
      continue;
    }
    if (nextGreater <= less) nextGreater = html.indexOf('>', less);
    if (nextGreater < 0) break;
    if (nextLess <= less) nextLess = html.indexOf('<', less + 1);
    const tag = nextLess >= 0 && nextLess < nextGreater ? undefined : writeTag(html.slice(less + 1, nextGreater), options);
    if (tag === undefined) {
      cursor = less + 1; // a stray '<' stays text
      continue;
    }
    out += canonicalText(html.slice(textStart, less)) + tag;
    textStart = cursor = nextGreater + 1;
  }
  return out + canonicalText(html.slice(textStart));
}
