// Stable keys for feed items, so an item is recognised on every poll even when its text is edited.
// Pure: no node:crypto here, so the hash is a small FNV-1a 64 over the UTF-8 bytes.

export interface ItemIdentity {
  guid?: string;
  link?: string;
  title?: string;
  publishedAt?: string;
}

const FNV_OFFSET_BASIS_64 = 0xcbf29ce484222325n;
const FNV_PRIME_64 = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

const utf8 = new TextEncoder();

/** FNV-1a 64-bit hash of a string's UTF-8 bytes, as 16 lowercase hex digits. */
export function fnv1a64(text: string): string {
  let hash = FNV_OFFSET_BASIS_64;
  for (const byte of utf8.encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME_64) & MASK_64;
  }
  return hash.toString(16).padStart(16, '0');
}

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * The item's key: its guid, else its link, else a hash of its title and date.
 * Publishers edit titles and summaries; guids and links stay, so they win.
 */
export function itemKey(item: ItemIdentity): string {
  const guid = present(item.guid);
  if (guid) return guid;
  const link = present(item.link);
  if (link) return link;
  const title = (item.title ?? '').trim().replace(/\s+/g, ' ');
  const date = (item.publishedAt ?? '').trim();
  // A unit separator keeps ("a b", "") and ("a", "b") apart.
  return `hash:${fnv1a64(`${title}\u001f${date}`)}`;
}
