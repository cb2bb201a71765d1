// The delivery marker: a short ref at the end of every embed footer the bot posts ("… · ref 3fa9c2e1").
// Discord does not store nonces, so this is what lets a restarted process find a message it sent
// but did not record: the ref is derived from the delivery id and comes back on fetched messages.
import { createHash } from 'node:crypto';
import type { APIEmbed } from 'discord.js';

/** Discord nonces are at most 25 characters. */
const NONCE_LENGTH = 25;
/** 32 bits: a collision needs two of the ~100 messages a lookup reads to share a ref. */
const REF_HEX_LENGTH = 8;
const SEPARATOR = ' · ';
const MARKER_AT_END = new RegExp(`(?:^|${SEPARATOR})ref ([0-9a-f]{${REF_HEX_LENGTH}})$`);

/** One hash of the delivery id feeds both the nonce and the marker, so they always agree. */
function deliveryDigest(deliveryId: string): Buffer {
  return createHash('sha256').update(deliveryId).digest();
}

/** The platform-side dedupe key of a delivery: the same delivery id always gives the same nonce. */
export function nonceFor(deliveryId: string): string {
  return deliveryDigest(deliveryId).toString('base64url').slice(0, NONCE_LENGTH);
}

/** The marker text for a delivery, e.g. "ref 3fa9c2e1". */
export function markerFor(deliveryId: string): string {
  return `ref ${deliveryDigest(deliveryId).toString('hex').slice(0, REF_HEX_LENGTH)}`;
}

/** Characters a marker adds to a footer at most (separator included): the embed budget reserves them. */
export const MARKER_ROOM = SEPARATOR.length + 'ref '.length + REF_HEX_LENGTH;

/** The embed with the marker appended to its footer (or as the footer when it has none). */
export function withMarker(embed: APIEmbed, marker: string): APIEmbed {
  const footer = embed.footer?.text ? `${embed.footer.text}${SEPARATOR}${marker}` : marker;
  return { ...embed, footer: { ...embed.footer, text: footer } };
}

/** The marker an embed carries at the end of its footer, if any. */
export function markerOf(embed: APIEmbed | undefined): string | undefined {
  const match = embed?.footer?.text.match(MARKER_AT_END);
  return match ? `ref ${match[1]!}` : undefined;
}
