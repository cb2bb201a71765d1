// Turns a feed's bytes into text using the charset the publisher declared.
// Order of trust: a byte order mark, then the HTTP Content-Type charset, then the XML declaration, then UTF-8.

export interface DecodedBody {
  text: string;
  /** The encoding label actually used. */
  encoding: string;
  warnings: string[];
}

/** The `charset` parameter of a Content-Type header, lower-cased, if any. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}

function byteOrderMark(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  // "<?" in UTF-16 without a mark.
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return 'utf-16be';
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return 'utf-16le';
  return undefined;
}

/** The encoding named in `<?xml ... encoding="..."?>` at the start of the bytes, if any. */
export function encodingFromXmlDeclaration(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  const declaration = /^\s*<\?xml\b[^>]*?\?>/.exec(head);
  if (!declaration) return undefined;
  const encoding = /\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(declaration[0]);
  return encoding?.[1]?.toLowerCase();
}

// Bytes 0x80-0x9F of windows-1252 (which WHATWG also uses for "iso-8859-1"). Node 20 decodes
// them as Latin-1 control characters, so curly quotes and dashes would be lost.
const WINDOWS_1252_C1 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function fixWindows1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (ch) => WINDOWS_1252_C1[ch.charCodeAt(0) - 0x80] ?? ch);
}

function decoderFor(label: string): InstanceType<typeof TextDecoder> | undefined {
  try {
    // fatal: false, so a stray invalid byte becomes U+FFFD instead of losing the feed.
    return new TextDecoder(label, { fatal: false, ignoreBOM: false });
  } catch {
    return undefined;
  }
}

/** UTF-16 labels in an XML declaration are meaningless once the bytes were read as 8-bit text. */
function isUtf16(label: string): boolean {
  return /^(utf-?16|ucs-?2)/.test(label);
}

export function decodeBody(bytes: Uint8Array, contentType?: string): DecodedBody {
  const warnings: string[] = [];
  const bom = byteOrderMark(bytes);
  const candidates: { label: string; source: string }[] = [];
  if (bom) candidates.push({ label: bom, source: 'byte order mark' });
  const headerCharset = charsetFromContentType(contentType);
  if (headerCharset) candidates.push({ label: headerCharset, source: 'Content-Type header' });
  const declared = encodingFromXmlDeclaration(bytes);
  if (declared && !(isUtf16(declared) && !bom)) candidates.push({ label: declared, source: 'XML declaration' });
  candidates.push({ label: 'utf-8', source: 'default' });

  for (const candidate of candidates) {
    const decoder = decoderFor(candidate.label);
    if (!decoder) {
      warnings.push(`unknown charset "${candidate.label}" from the ${candidate.source}`);
      continue;
    }
    const text = decoder.decode(bytes);
    return { text: decoder.encoding === 'windows-1252' ? fixWindows1252(text) : text, encoding: decoder.encoding, warnings };
  }
  // Unreachable: utf-8 is always known.
  return { text: new TextDecoder().decode(bytes), encoding: 'utf-8', warnings };
}
