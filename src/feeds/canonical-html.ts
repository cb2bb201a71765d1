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

const TOKEN =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<![A-Za-z][^>]*>|<\/([A-Za-z][\w:.-]*)\s*>|<([A-Za-z][\w:.-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)>/g;
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

export function canonicalHtml(html: string, options: CanonicalHtmlOptions): string {
  if (!html.includes('<') && !html.includes('&')) return html;
  let out = '';
  let last = 0;
  for (const match of html.matchAll(TOKEN)) {
    out += canonicalText(html.slice(last, match.index));
    last = match.index + match[0].length;
    const [whole, closing, opening, attributeText = '', selfClosing] = match;
    if (closing !== undefined) {
      const closed = options.fromXml ? localName(closing) : closing;
      if (!VOID_ELEMENTS.has(closed.toLowerCase())) out += `</${closed}>`;
      continue;
    }
    if (opening === undefined) {
      out += whole; // comments, CDATA, declarations
      continue;
    }
    const name = options.fromXml ? localName(opening) : opening;
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
    if (VOID_ELEMENTS.has(name.toLowerCase())) out += `<${name}${written} />`;
    else if (selfClosing && options.fromXml) out += `<${name}${written}></${name}>`;
    else out += `<${name}${written}>`;
  }
  return out + canonicalText(html.slice(last));
}
