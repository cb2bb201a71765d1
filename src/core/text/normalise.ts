// Feed text arrives as HTML fragments, entity-escaped, in any Unicode form. Matching works on one
// plain form: no tags, entities decoded, NFKC, straight quotes and apostrophes, single spaces.

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…',
  lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„', laquo: '«', raquo: '»',
  lsaquo: '‹', rsaquo: '›', copy: '©', reg: '®', trade: '™', euro: '€', pound: '£', yen: '¥', cent: '¢',
  middot: '·', bull: '•', deg: '°', times: '×', shy: '', zwj: '', zwnj: '', thinsp: ' ', ensp: ' ',
  emsp: ' ', eacute: 'é', egrave: 'è', ecirc: 'ê', euml: 'ë', aacute: 'á', agrave: 'à', acirc: 'â',
  auml: 'ä', aring: 'å', oacute: 'ó', ograve: 'ò', ocirc: 'ô', ouml: 'ö', uacute: 'ú', ugrave: 'ù',
  ucirc: 'û', uuml: 'ü', iacute: 'í', igrave: 'ì', icirc: 'î', iuml: 'ï', ntilde: 'ñ', ccedil: 'ç',
  szlig: 'ß', Eacute: 'É', Aacute: 'Á', Oacute: 'Ó', Uacute: 'Ú', Ntilde: 'Ñ', Ccedil: 'Ç', Auml: 'Ä',
  Ouml: 'Ö', Uuml: 'Ü', oslash: 'ø', Oslash: 'Ø', aelig: 'æ', AElig: 'Æ',
};

const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));?/g;

/** Decodes numeric and common named character references; unknown names stay as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (dec !== undefined || hex !== undefined) {
      const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return ' ';
      return String.fromCodePoint(code);
    }
    const decoded = name !== undefined ? NAMED_ENTITIES[name] : undefined;
    return decoded ?? whole;
  });
}

// Block-level tags end a sentence-like unit; inline tags just disappear.
const BLOCK_TAG = /<\/?(?:p|div|br|li|ul|ol|h[1-6]|blockquote|tr|td|th|table|section|article|header|footer|figure|figcaption|hr)\b[^>]*>/gi;
const DROPPED_ELEMENT = /<(script|style|noscript|template)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const COMMENT = /<!--[\s\S]*?-->/g;
const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/g;
const ANY_TAG = /<\/?[A-Za-z][^>]*>/g;

/** HTML fragment to plain text: drops scripts, styles and comments, keeps block breaks as newlines. */
export function htmlToText(html: string): string {
  if (!html.includes('<')) return decodeEntities(html);
  const text = html
    .replace(CDATA, '$1')
    .replace(COMMENT, ' ')
    .replace(DROPPED_ELEMENT, ' ')
    .replace(BLOCK_TAG, '\n')
    .replace(ANY_TAG, '');
  return decodeEntities(text);
}

const TYPOGRAPHIC = /[\u2018\u2019\u201A\u201B\u2032\u02BC\u00B4\u0060\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB\u2039\u203A\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00A0\u2007\u202F\u00AD]|\u200B|\u200C|\u200D|\u2060|\uFEFF/g;

function plainTypography(char: string): string {
  switch (char) {
    case '\u2018': case '\u2019': case '\u201A': case '\u201B': case '\u2032': case '\u02BC': case '\u00B4': case '\u0060':
      return "'";
    case '\u201C': case '\u201D': case '\u201E': case '\u201F': case '\u2033': case '\u00AB': case '\u00BB':
    case '\u2039': case '\u203A':
      return '"';
    case '\u2010': case '\u2011': case '\u2012': case '\u2013': case '\u2014': case '\u2015': case '\u2212':
      return '-';
    case '\u00A0': case '\u2007': case '\u202F':
      return ' ';
    default:
      return ''; // zero-width characters and soft hyphens
  }
}

const NON_ASCII = /[\u0080-\uFFFF]/;
const HORIZONTAL_SPACE = /[ \t\f\v\r]+/g;
const SPACE_AROUND_NEWLINE = / ?\n[\s]*/g;

/**
 * Plain text to the one form matching reads: NFKC, straight quotes, ASCII hyphens, collapsed spaces.
 * Line breaks are kept (as single newlines) because they end sentences.
 */
export function normaliseWhitespaceAndUnicode(text: string): string {
  let out = text;
  if (NON_ASCII.test(out)) {
    out = out.normalize('NFKC').replace(TYPOGRAPHIC, plainTypography);
  }
  return out.replace(HORIZONTAL_SPACE, ' ').replace(SPACE_AROUND_NEWLINE, '\n').trim();
}

/** HTML or plain feed text to normalised plain text. */
export function normaliseText(raw: string | undefined): string {
  if (!raw) return '';
  return normaliseWhitespaceAndUnicode(htmlToText(raw));
}
