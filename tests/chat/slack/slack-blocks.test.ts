import { describe, expect, it } from 'vitest';
import { SLACK_LIMITS, renderSlackMessage, renderSlackReply } from '../../../src/chat/slack/slack-blocks.js';
import type { Message, MessageBlock } from '../../../src/core/model.js';

type AnyBlock = { type: string; text?: { type: string; text: string }; fields?: { text: string }[]; elements?: { text: string }[] };

function blocksOf(message: Message): AnyBlock[] {
  return renderSlackMessage(message).blocks as AnyBlock[];
}

/** Every string Slack will display, from every block. */
function textsOf(blocks: AnyBlock[]): string[] {
  return blocks.flatMap((block) => [
    ...(block.text ? [block.text.text] : []),
    ...(block.fields ?? []).map((field) => field.text),
    ...(block.elements ?? []).map((element) => element.text),
  ]);
}

describe('rendering a neutral message as Block Kit', () => {
  it('renders each kind of block', () => {
    const blocks = blocksOf({
      blocks: [
        { kind: 'heading', text: 'Who has responded' },
        { kind: 'text', text: 'Three of five companies.' },
        { kind: 'quote', text: 'line one\nline two' },
        { kind: 'fields', fields: [{ label: 'Netflix', value: 'denies' }] },
        { kind: 'link', text: 'The report', url: 'https://news.example/r' },
        { kind: 'list', items: ['RBC', 'Spotify'] },
        { kind: 'context', text: 'as of today' },
        { kind: 'divider' },
      ],
    });
    expect(blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Who has responded', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: 'Three of five companies.', verbatim: true } },
      { type: 'section', text: { type: 'mrkdwn', text: '>line one\n>line two', verbatim: true } },
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*Netflix*\ndenies', verbatim: true }] },
      { type: 'section', text: { type: 'mrkdwn', text: '<https://news.example/r|The report>', verbatim: true } },
      { type: 'section', text: { type: 'mrkdwn', text: '• RBC\n• Spotify', verbatim: true } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'as of today', verbatim: true }] },
      { type: 'divider' },
    ]);
  });

  it('makes a linked title a bold link, and an unlinked (or unsafely linked) title a header', () => {
    expect(blocksOf({ title: 'Headline', url: 'https://news.example/h', blocks: [] })[0]?.text?.text).toBe('*<https://news.example/h|Headline>*');
    expect(blocksOf({ title: 'Headline', blocks: [] })[0]?.type).toBe('header');
    expect(blocksOf({ title: 'Headline', url: 'javascript:alert(1)', blocks: [] })[0]).toMatchObject({ type: 'header', text: { text: 'Headline' } });
  });

  it('keeps a header within 150 characters', () => {
    const header = blocksOf({ title: `${'Long & winding headline '.repeat(20)}`, blocks: [] })[0];
    expect(header?.type).toBe('header');
    expect(header?.text?.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    expect(header?.text?.text.endsWith('…')).toBe(true);
  });

  it('cuts a long quote at a word, with an ellipsis', () => {
    const quote = blocksOf({ blocks: [{ kind: 'quote', text: 'We deny this claim. '.repeat(200) }] })[0]?.text?.text ?? '';
    expect(quote.length).toBeLessThanOrEqual(SLACK_LIMITS.quote + 1);
    expect(quote).toMatch(/ (claim\.|deny|this|We)…$/);
  });

  it('keeps a quote within a section once escaped, however many ampersands it holds', () => {
    const quote = blocksOf({ blocks: [{ kind: 'quote', text: '&'.repeat(SLACK_LIMITS.quote) }] })[0]?.text?.text ?? '';
    expect(quote.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(quote.startsWith('>&amp;')).toBe(true);
  });

  it('keeps section text within 3000 characters, even when escaping makes it longer', () => {
    const text = blocksOf({ blocks: [{ kind: 'text', text: '<&> '.repeat(2000) }] })[0]?.text?.text ?? '';
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(text.endsWith('…')).toBe(true);
  });

  it('splits more than ten fields over several sections', () => {
    const fields = Array.from({ length: 23 }, (_, index) => ({ label: `Company ${index}`, value: 'silent' }));
    const sections = blocksOf({ blocks: [{ kind: 'fields', fields }] });
    expect(sections.map((section) => section.fields?.length)).toEqual([10, 10, 3]);
  });

  it('caps a long list with a count of what is left out', () => {
    const items = Array.from({ length: 400 }, (_, index) => `Feed number ${index} is failing with a long error message`);
    const list = blocksOf({ blocks: [{ kind: 'list', items }] })[0]?.text?.text ?? '';
    expect(list.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(list).toMatch(/…and \d+ more$/);
  });

  it('never sends more than 50 blocks, and keeps the footer and mentions', () => {
    const many: MessageBlock[] = Array.from({ length: 80 }, (_, index) => ({ kind: 'text', text: `Report ${index}` }));
    const blocks = blocksOf({ title: 'T', blocks: many, footer: 'why it matched', mentions: ['U0SUB'] });
    expect(blocks).toHaveLength(SLACK_LIMITS.blocksPerMessage);
    const texts = textsOf(blocks);
    expect(texts.at(-1)).toBe('<@U0SUB>');
    expect(texts.at(-2)).toBe('why it matched');
    expect(texts.at(-3)).toMatch(/^…\d+ more parts not shown$/);
  });

  it('skips empty text blocks rather than sending blocks Slack would reject', () => {
    expect(blocksOf({ blocks: [{ kind: 'text', text: ' ' }, { kind: 'quote', text: '' }, { kind: 'list', items: [] }] })).toEqual([]);
  });

  it('gives a plain-text fallback with the headline, text and quotes, escaped', () => {
    const { text } = renderSlackMessage({
      title: 'A & B',
      blocks: [{ kind: 'text', text: 'said <this>' }, { kind: 'quote', text: 'We deny it' }, { kind: 'context', text: 'not in fallback' }],
      mentions: ['U0SUB'],
    });
    expect(text).toBe('<@U0SUB> A &amp; B — said &lt;this&gt; — “We deny it”');
  });

  it('does not double the quote marks of a quote that already has them', () => {
    expect(renderSlackMessage({ blocks: [{ kind: 'quote', text: 'Netflix: “We never did.”' }] }).text).toBe('Netflix: “We never did.”');
  });

  it('always has some fallback text, since Slack requires it', () => {
    expect(renderSlackMessage({ blocks: [{ kind: 'divider' }] }).text).not.toBe('');
  });

  it('renders a public reply in the channel and an ephemeral one only to the member', () => {
    const message: Message = { blocks: [{ kind: 'text', text: 'hi' }] };
    expect(renderSlackReply({ visibility: 'public', message }).response_type).toBe('in_channel');
    expect(renderSlackReply({ visibility: 'ephemeral', message }).response_type).toBe('ephemeral');
  });
});

describe('hostile feed text, whatever its shape, never pings and never breaks a limit', () => {
  const pieces = ['<', '>', '&', '@', '!', 'channel', 'here', 'everyone', '<!channel>', '<@U123>', '<!subteam^S1>', '|', '*', ' ', '\n', 'word', 'é', '😀', 'https://x.example/?a=1&b=2'];

  /** A small deterministic generator (no Math.random: the same cases every run). */
  function* hostileStrings(count: number): Generator<string> {
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let index = 0; index < count; index += 1) {
      const length = 1 + (next() % 400);
      let text = '';
      for (let part = 0; part < length; part += 1) text += pieces[next() % pieces.length];
      yield text;
    }
  }

  it('over 300 generated headlines, quotes, fields and links', () => {
    for (const hostile of hostileStrings(300)) {
      const message: Message = {
        title: hostile,
        url: hostile.includes('https') ? 'https://news.example/a' : undefined,
        blocks: [
          { kind: 'heading', text: hostile },
          { kind: 'text', text: hostile },
          { kind: 'quote', text: hostile },
          { kind: 'fields', fields: [{ label: hostile, value: hostile }] },
          { kind: 'link', text: hostile, url: 'https://news.example/b' },
          { kind: 'list', items: [hostile, hostile] },
          { kind: 'context', text: hostile },
        ],
        footer: hostile,
      };
      const rendered = renderSlackMessage(message);
      const all = [...textsOf(rendered.blocks as AnyBlock[]), rendered.text];
      for (const text of all) {
        // Only our own links may open a "<"; no "<!…>" or "<@…>" from the feed, no literal broadcast.
        expect(text.replace(/<https:\/\/news\.example\/[ab]\|/g, '')).not.toMatch(/<[!@#]|<[^>]*\|/);
        expect(text).not.toMatch(/@(channel|here|everyone)\b/);
        expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      }
      for (const block of rendered.blocks as AnyBlock[]) {
        if (block.type === 'header') expect(block.text?.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
        for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
      }
    }
  });
});
