import { describe, expect, it } from 'vitest';
import {
  ACCENT_COLORS,
  EMBED_LIMITS,
  MAX_MENTIONS,
  embedLength,
  escapeFeedText,
  mentionContent,
  renderEmbed,
  truncateAtWord,
  userMentions,
} from '../../../src/chat/discord/discord-embeds.js';
import type { Message } from '../../../src/core/model.js';

const words = (count: number, word = 'lorem'): string => Array.from({ length: count }, () => word).join(' ');

describe('truncateAtWord', () => {
  it('leaves text that fits alone', () => {
    expect(truncateAtWord('short text', 20)).toBe('short text');
  });

  it('cuts at the last whole word and ends with an ellipsis, within the limit', () => {
    const cut = truncateAtWord('the quick brown fox jumps', 17);
    expect(cut).toBe('the quick brown…');
    expect(cut.length).toBeLessThanOrEqual(17);
  });

  it('cuts inside a single very long word rather than returning nothing', () => {
    expect(truncateAtWord('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('never leaves a dangling escape backslash before the ellipsis', () => {
    const cut = truncateAtWord('abcdefgh\\*more', 10);
    expect(cut.endsWith('\\…')).toBe(false);
    expect(cut.length).toBeLessThanOrEqual(10);
  });
});

describe('escapeFeedText', () => {
  it('shows Markdown from a feed as written', () => {
    expect(escapeFeedText('**bold** _it_ `code` ~~gone~~ ||spoiler||')).toBe(
      '\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~gone\\~\\~ \\|\\|spoiler\\|\\|',
    );
  });

  it('escapes headings, block quotes, subtext, lists and masked links at line starts', () => {
    const escaped = escapeFeedText('# Title\n> quoted\n-# small\n- item\n[click](https://evil.example)');
    expect(escaped).toBe('\\# Title\n\\> quoted\n\\-# small\n\\- item\n\\[click](https://evil.example)');
  });
});

describe('renderEmbed', () => {
  it('renders blocks into the description in order, with fields as embed fields and the accent as colour', () => {
    const message: Message = {
      title: 'Netflix responds',
      url: 'https://example.org/a',
      blocks: [
        { kind: 'heading', text: 'Statement' },
        { kind: 'text', text: 'Netflix said it never asked.' },
        { kind: 'quote', text: 'line one\nline two' },
        { kind: 'fields', fields: [{ label: 'Stance', value: 'denies' }] },
        { kind: 'list', items: ['Reuters', 'The Verge'] },
        { kind: 'link', text: 'Read the report', url: 'https://example.org/(report)' },
        { kind: 'divider' },
        { kind: 'context', text: 'why: named + cue' },
      ],
      footer: 'storywatch',
      accent: 'confirms',
    };
    expect(renderEmbed(message)).toEqual({
      title: 'Netflix responds',
      url: 'https://example.org/a',
      description: [
        '**Statement**',
        'Netflix said it never asked.',
        '> line one\n> line two',
        '• Reuters\n• The Verge',
        '[Read the report](https://example.org/%28report%29)',
        '───',
        '-# why: named + cue',
      ].join('\n\n'),
      fields: [{ name: 'Stance', value: 'denies', inline: true }],
      footer: { text: 'storywatch' },
      color: ACCENT_COLORS.confirms,
    });
  });

  it('marks a cut with an ellipsis even when the text needs no escaping, and leaves text that fits whole', () => {
    const long = renderEmbed({ blocks: [{ kind: 'text', text: words(2000) }] }).description!;
    expect(long.length).toBeLessThanOrEqual(EMBED_LIMITS.description);
    expect(long.endsWith('lorem…')).toBe(true);
    const exact = 'x'.repeat(EMBED_LIMITS.description);
    expect(renderEmbed({ blocks: [{ kind: 'text', text: exact }] }).description).toBe(exact);
  });

  it('shows a link with a non-web scheme as plain text', () => {
    const embed = renderEmbed({ blocks: [{ kind: 'link', text: 'open', url: 'javascript:alert(1)' }] });
    expect(embed.description).toBe('open');
    expect(renderEmbed({ title: 't', url: 'javascript:alert(1)', blocks: [] }).url).toBeUndefined();
  });

  it('keeps every part within its own Discord limit', () => {
    const embed = renderEmbed({
      title: words(100),
      blocks: [
        { kind: 'text', text: words(1000) },
        {
          kind: 'fields',
          fields: Array.from({ length: 40 }, (_, i) => ({ label: `${i} ${words(60)}`, value: words(300) })),
        },
      ],
      footer: words(500),
    });
    expect(embed.title!.length).toBeLessThanOrEqual(EMBED_LIMITS.title);
    expect(embed.title!.endsWith('…')).toBe(true);
    expect(embed.description!.length).toBeLessThanOrEqual(EMBED_LIMITS.description);
    expect(embed.fields!.length).toBeLessThanOrEqual(EMBED_LIMITS.fields);
    for (const field of embed.fields!) {
      expect(field.name.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldName);
      expect(field.value.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldValue);
    }
    expect(embed.footer!.text.length).toBeLessThanOrEqual(EMBED_LIMITS.footer);
    expect(embedLength(embed)).toBeLessThanOrEqual(EMBED_LIMITS.total);
    expect(embed.description!.length).toBeGreaterThan(3000);
    expect(embed.footer!.text.length).toBeLessThanOrEqual(256);
  });

  it('fits the 6,000-character total by shortening the description at a word when the fields are modest', () => {
    const embed = renderEmbed({
      title: 'A development',
      blocks: [
        { kind: 'text', text: words(800) },
        { kind: 'fields', fields: Array.from({ length: 3 }, (_, i) => ({ label: `F${i}`, value: words(100) })) },
      ],
      footer: words(30),
    });
    expect(embedLength(embed)).toBeLessThanOrEqual(EMBED_LIMITS.total);
    expect(embed.fields).toHaveLength(3);
    expect(embed.footer?.text).toBe(words(30));
    expect(embed.description).toMatch(/lorem…$/);
  });

  it('escapes feed Markdown in titles and field text but leaves the footer, which Discord shows raw', () => {
    const embed = renderEmbed({
      title: '*Breaking*',
      blocks: [{ kind: 'fields', fields: [{ label: '__who__', value: '`x`' }] }],
      footer: 'score *0.8*',
    });
    expect(embed.title).toBe('\\*Breaking\\*');
    expect(embed.fields).toEqual([{ name: '\\_\\_who\\_\\_', value: '\\`x\\`', inline: true }]);
    expect(embed.footer?.text).toBe('score *0.8*');
  });
});

describe('mentions', () => {
  it('keeps only user ids, once each', () => {
    expect(userMentions({ blocks: [], mentions: ['123', '@everyone', '123', '<@&5>', '456'] })).toEqual(['123', '456']);
  });

  it('names at most MAX_MENTIONS users, so the content and allowed_mentions stay within Discord limits', () => {
    const many = Array.from({ length: 150 }, (_, i) => String(10_000_000_000_000_000_000n + BigInt(i)));
    const ids = userMentions({ blocks: [], mentions: many });
    expect(ids).toHaveLength(MAX_MENTIONS);
    expect(mentionContent(ids)!.length).toBeLessThanOrEqual(2000);
  });

  it('writes one user mention per id and nothing when there are none', () => {
    expect(mentionContent(['123', '456'])).toBe('<@123> <@456>');
    expect(mentionContent([])).toBeUndefined();
  });
});
