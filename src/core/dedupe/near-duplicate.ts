// Recognises the same words reported by several outlets: a quote repeated in part, a syndicated headline.

function words(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .split(/[^\p{L}\p{N}']+/u)
    .filter((word) => word.length > 0);
}

/** Word trigrams of a text (single words for texts shorter than three words). */
export function shingles(text: string): Set<string> {
  const list = words(text);
  if (list.length < 3) return new Set(list.length > 0 ? [list.join(' ')] : []);
  const result = new Set<string>();
  for (let i = 0; i + 3 <= list.length; i += 1) result.add(`${list[i]} ${list[i + 1]} ${list[i + 2]}`);
  return result;
}

/**
 * How much of the shorter text the longer one contains (overlap coefficient over trigrams):
 * an outlet quoting one sentence of a longer statement still scores 1.
 */
export function containment(a: string, b: string): number {
  const left = shingles(a);
  const right = shingles(b);
  const smaller = left.size <= right.size ? left : right;
  const larger = smaller === left ? right : left;
  if (smaller.size === 0) return 0;
  let shared = 0;
  for (const shingle of smaller) if (larger.has(shingle)) shared += 1;
  return shared / smaller.size;
}

/** Symmetric similarity (Jaccard over trigrams), for headlines where containment is too lenient. */
export function resemblance(a: string, b: string): number {
  const left = shingles(a);
  const right = shingles(b);
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const shingle of left) if (right.has(shingle)) shared += 1;
  return shared / (left.size + right.size - shared);
}
