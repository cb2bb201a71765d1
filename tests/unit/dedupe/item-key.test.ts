import { describe, expect, it } from 'vitest';
import { fnv1a64, itemKey } from '../../../src/core/dedupe/item-key.js';

describe('itemKey', () => {
  it('uses the guid when the item has one', () => {
    expect(itemKey({ guid: ' urn:a ', link: 'http://x/1', title: 'T' })).toBe('urn:a');
  });

  it('falls back to the link when the guid is missing or blank', () => {
    expect(itemKey({ guid: '  ', link: 'http://x/1', title: 'T' })).toBe('http://x/1');
  });

  it('hashes title and date when there is neither guid nor link', () => {
    const key = itemKey({ title: 'Breaking', publishedAt: '2024-01-01T00:00:00.000Z' });
    expect(key).toMatch(/^hash:[0-9a-f]{16}$/);
    expect(itemKey({ title: ' Breaking ', publishedAt: '2024-01-01T00:00:00.000Z' })).toBe(key);
  });

  it('gives different keys to different titles or dates', () => {
    const a = itemKey({ title: 'a b', publishedAt: '' });
    const b = itemKey({ title: 'a', publishedAt: 'b' });
    const c = itemKey({ title: 'a b', publishedAt: '2024' });
    expect(new Set([a, b, c]).size).toBe(3);
  });
});

describe('fnv1a64', () => {
  it('matches the published FNV-1a 64 test vectors', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });

  it('hashes the UTF-8 bytes of non-ASCII text', () => {
    expect(fnv1a64('é')).not.toBe(fnv1a64('e'));
    expect(fnv1a64('é')).toHaveLength(16);
  });
});
