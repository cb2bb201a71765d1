// Character classes the matcher needs, on UTF-16 code units, without allocating per character.

const WORD_CHAR_ASCII = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const isDigit = code >= 48 && code <= 57;
  const isUpper = code >= 65 && code <= 90;
  const isLower = code >= 97 && code <= 122;
  WORD_CHAR_ASCII[code] = isDigit || isUpper || isLower ? 1 : 0;
}
const WORD_CHAR_UNICODE = /[\p{L}\p{N}\p{M}]/u;

/** Answers for code units above ASCII, filled in as they are met: 0 not yet known, 1 word, 2 not. */
const WORD_CHAR_SEEN = new Uint8Array(65536);

/** A letter, digit or combining mark: the inside of a word, in any script. */
export function isWordCharCode(code: number): boolean {
  if (code < 128) return WORD_CHAR_ASCII[code] === 1;
  const known = WORD_CHAR_SEEN[code];
  if (known !== 0) return known === 1;
  // Surrogate halves belong to astral letters (rare in news text); treat them as word characters.
  const isWord = (code >= 0xd800 && code <= 0xdfff) || WORD_CHAR_UNICODE.test(String.fromCharCode(code));
  WORD_CHAR_SEEN[code] = isWord ? 1 : 2;
  return isWord;
}

/** True when text[index] exists and is a word character. */
export function isWordCharAt(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  return isWordCharCode(text.charCodeAt(index));
}

/** Lower-cases one UTF-16 code unit when that keeps it one code unit (so offsets stay aligned). */
export function foldCodeUnit(code: number): number {
  if (code < 128) return code >= 65 && code <= 90 ? code + 32 : code;
  const lower = String.fromCharCode(code).toLowerCase();
  return lower.length === 1 ? lower.charCodeAt(0) : code;
}

/** Lower-cases text code unit by code unit, so every index in the result matches the input. */
export function foldCase(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += String.fromCharCode(foldCodeUnit(text.charCodeAt(i)));
  return out;
}

/** Words (letters/digits runs) of a string, lower-cased. */
export function words(text: string): string[] {
  return foldCase(text).match(/[\p{L}\p{N}\p{M}]+(?:'[\p{L}]+)?/gu) ?? [];
}
