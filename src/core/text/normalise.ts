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

/** Replacements for typographic characters: quotes, apostrophes, dashes, odd spaces, invisibles. */
const TYPOGRAPHIC = new Map<number, string>();
for (const code of [0x2018, 0x2019, 0x201a, 0x201b, 0x2032, 0x02bc, 0x00b4, 0x0060]) TYPOGRAPHIC.set(code, "'");
// « », ‹ ›, „ “ and the corner brackets 「 」『 』 all quote: one straight mark lets quotes.ts read any of them.
for (const code of [0x201c, 0x201d, 0x201e, 0x201f, 0x2033, 0x00ab, 0x00bb, 0x2039, 0x203a, 0x300c, 0x300d, 0x300e, 0x300f]) TYPOGRAPHIC.set(code, '"');
for (const code of [0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212]) TYPOGRAPHIC.set(code, '-');
for (const code of [0x00a0, 0x2007, 0x202f, 0x2002, 0x2003, 0x2009, 0x3000]) TYPOGRAPHIC.set(code, ' ');
for (const code of [0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad]) TYPOGRAPHIC.set(code, '');

/** Printable ASCII with single spaces needs no work beyond trimming (the common case, kept fast). */
function needsWork(text: string): boolean {
  let previousWasSpace = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 32 || code > 126) return true;
    const isSpace = code === 32;
    if (isSpace && previousWasSpace) return true;
    previousWasSpace = isSpace;
  }
  return false;
}

/**
 * Plain text to the one form matching reads: NFKC, straight quotes, ASCII hyphens, collapsed spaces.
 * Line breaks are kept (as single newlines) because they end sentences.
 */
export function normaliseWhitespaceAndUnicode(text: string): string {
  if (!needsWork(text)) return text.trim();
  const source = text.normalize('NFKC');
  let out = '';
  let runStart = 0; // characters from runStart on are copied as they are, in one slice
  let pending = ''; // a space or line break owed before the next visible character
  for (let i = 0; i < source.length; i++) {
    const code = source.charCodeAt(i);
    let replacement: string | undefined;
    if (code === 32) {
      // A single space between visible characters stays in the run.
      const next = source.charCodeAt(i + 1);
      const nextIsPlainVisible = (next > 32 && next < 127) || (next >= 128 && !TYPOGRAPHIC.has(next));
      if (i > runStart && nextIsPlainVisible) continue;
      replacement = ' ';
    } else if (code >= 9 && code <= 13) replacement = code === 10 ? '\n' : ' ';
    else if (code < 128) continue;
    else {
      replacement = TYPOGRAPHIC.get(code);
      if (replacement === undefined) continue;
    }
    if (i > runStart) {
      if (pending !== '' && out.length > 0) out += pending;
      out += source.slice(runStart, i);
      pending = '';
    }
    runStart = i + 1;
    if (replacement === '\n') pending = '\n';
    else if (replacement === ' ') {
      if (pending === '') pending = ' ';
    } else if (replacement !== '') {
      if (pending !== '' && out.length > 0) out += pending;
      out += replacement;
      pending = '';
    }
  }
  if (source.length > runStart) {
    if (pending !== '' && out.length > 0) out += pending;
    out += source.slice(runStart);
  }
  return out;
}

/** HTML or plain feed text to normalised plain text. */
export function normaliseText(raw: string | undefined): string {
  if (!raw) return '';
  return normaliseWhitespaceAndUnicode(htmlToText(raw));
}
