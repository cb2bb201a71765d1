import { describe, expect, it } from 'vitest';
import { MARKER_ROOM, markerFor, markerOf, nonceFor, withMarker } from '../../../src/chat/discord/delivery-marker.js';
import { EMBED_LIMITS, embedLength, renderEmbed } from '../../../src/chat/discord/discord-embeds.js';
import type { Message } from '../../../src/core/model.js';

const words = (count: number, word = 'lorem'): string => Array.from({ length: count }, () => word).join(' ');

describe('delivery marker', () => {
  it('is a short ref that is the same for the same delivery id and differs for another', () => {
    expect(markerFor('post|u1|discord:chan:')).toMatch(/^ref [0-9a-f]{8}$/);
    expect(markerFor('post|u1|discord:chan:')).toBe(markerFor('post|u1|discord:chan:'));
    expect(markerFor('post|u1|discord:chan:')).not.toBe(markerFor('post|u2|discord:chan:'));
  });

  it('comes from the same hash as the nonce, which stays within 25 characters', () => {
    const nonce = nonceFor('dm|u1|discord::42');
    expect(nonce.length).toBe(25);
    const hex = markerFor('dm|u1|discord::42').slice('ref '.length);
    expect(Buffer.from(nonce, 'base64url').toString('hex').startsWith(hex)).toBe(true);
  });

  it('ends the footer after a separator, or is the footer when there is none, and is read back from either', () => {
    const marker = markerFor('post|u1|discord:chan:');
    const withFooter = withMarker({ footer: { text: 'matched: company named' } }, marker);
    expect(withFooter.footer?.text).toBe(`matched: company named · ${marker}`);
    expect(markerOf(withFooter)).toBe(marker);
    expect(withMarker({ description: 'x' }, marker).footer?.text).toBe(marker);
    expect(markerOf(withMarker({ description: 'x' }, marker))).toBe(marker);
    expect(`matched · ${marker}`.length - 'matched'.length).toBe(MARKER_ROOM);
  });

  it('is not read from a footer that merely mentions a ref, or has text after it', () => {
    expect(markerOf({ footer: { text: 'xref 3fa9c2e1' } })).toBeUndefined();
    expect(markerOf({ footer: { text: 'ref 3fa9c2e1 · more' } })).toBeUndefined();
    expect(markerOf({ footer: { text: 'ref 3FA9C2E1' } })).toBeUndefined();
    expect(markerOf({ description: 'ref 3fa9c2e1' })).toBeUndefined();
    expect(markerOf(undefined)).toBeUndefined();
  });
});

describe('renderEmbed with a marker', () => {
  const marker = markerFor('post|big|discord:chan:');

  it('reserves the marker room inside the 6,000 total, so the marker survives the squeeze', () => {
    const message: Message = {
      title: words(100),
      blocks: [
        { kind: 'text', text: words(1000) },
        { kind: 'fields', fields: Array.from({ length: 40 }, (_, i) => ({ label: `${i} ${words(60)}`, value: words(300) })) },
      ],
      footer: words(500),
    };
    const embed = renderEmbed(message, { marker });
    expect(embedLength(embed)).toBeLessThanOrEqual(EMBED_LIMITS.total);
    expect(embed.footer!.text.length).toBeLessThanOrEqual(EMBED_LIMITS.footer);
    expect(markerOf(embed)).toBe(marker);
  });

  it('keeps the marker when the description alone fills the whole total', () => {
    const embed = renderEmbed({ title: words(60), blocks: [{ kind: 'text', text: words(3000) }], footer: words(500) }, { marker });
    expect(embedLength(embed)).toBeLessThanOrEqual(EMBED_LIMITS.total);
    expect(markerOf(embed)).toBe(marker);
  });

  it('keeps the footer within 2,048 characters with the marker added to a footer already at the limit', () => {
    const embed = renderEmbed({ blocks: [{ kind: 'text', text: 'short' }], footer: 'x'.repeat(EMBED_LIMITS.footer) }, { marker });
    expect(embed.footer!.text.length).toBeLessThanOrEqual(EMBED_LIMITS.footer);
    expect(markerOf(embed)).toBe(marker);
  });

  it('changes nothing else in a small embed', () => {
    const message: Message = { title: 'A development', blocks: [{ kind: 'text', text: 'said no' }], footer: 'matched', accent: 'denies' };
    const { footer: _plain, ...rest } = renderEmbed(message);
    const { footer, ...restMarked } = renderEmbed(message, { marker });
    expect(restMarked).toEqual(rest);
    expect(footer?.text).toBe(`matched · ${marker}`);
  });
});
