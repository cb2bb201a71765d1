// Shortening feed text to a platform's limit: at a word, with an ellipsis, never mid-emoji.

const ELLIPSIS = '…';

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Cuts text to at most max characters (the ellipsis included), at the last word boundary if it is near. */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, Math.max(0, max));
  let end = max - ELLIPSIS.length;
  // Never split a surrogate pair (an emoji, say).
  if (isLowSurrogate(text.charCodeAt(end))) end -= 1;
  const head = text.slice(0, end);
  const lastSpace = head.search(/\s\S*$/);
  // Prefer the last word boundary unless it would throw away more than a fifth of the room.
  const cut = lastSpace > end * 0.8 ? head.slice(0, lastSpace) : head;
  return `${cut.trimEnd()}${ELLIPSIS}`;
}
