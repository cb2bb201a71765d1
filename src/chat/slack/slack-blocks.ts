// The neutral Message as Block Kit, within Slack's limits, with a plain-text fallback for
// notifications and old clients. Pure: no I/O. Every piece of text is escaped here.
import type { types } from '@slack/bolt';
import type { Message, MessageBlock, Reply } from '../../core/model.js';
import { cutAtWord } from '../../core/render/cut-at-word.js';
import { escapeWithin, safeLinkUrl, slackLink, slackMentions } from './slack-escape.js';

type KnownBlock = types.KnownBlock;

/** Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks). */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  fieldsPerSection: 10,
  fieldText: 2000,
  contextElements: 10,
  /** Our own cap: a quote longer than this is cut at a word, so a post stays readable. */
  quote: 1000,
  /** The fallback text shows in notifications; keep it to a screenful. */
  fallbackText: 3000,
} as const;

export interface SlackMessage {
  blocks: KnownBlock[];
  /** Plain-text fallback (notifications, clients without blocks); escaped like the blocks. */
  text: string;
}

export function renderSlackMessage(message: Message): SlackMessage {
  const mentions = slackMentions(message.mentions);
  const body = [...titleBlocks(message), ...message.blocks.flatMap(renderBlock)];
  const tail: KnownBlock[] = [];
  if (message.footer !== undefined && message.footer.trim() !== '') tail.push(contextBlock(escapeWithin(message.footer, SLACK_LIMITS.sectionText)));
  if (mentions.length > 0) tail.push(contextBlock(mentions.join(' '), false));
  return { blocks: fitBlockBudget(body, tail), text: fallbackText(message, mentions) };
}

/** A command reply as a slash-command response (ack body or response_url payload). */
export function renderSlackReply(reply: Reply): SlackMessage & { response_type: 'ephemeral' | 'in_channel' } {
  return { response_type: reply.visibility === 'public' ? 'in_channel' : 'ephemeral', ...renderSlackMessage(reply.message) };
}

function titleBlocks(message: Message): KnownBlock[] {
  const title = message.title?.trim();
  if (title === undefined || title === '') return [];
  // A linked headline needs mrkdwn (header blocks cannot hold links); bold keeps it a headline.
  if (message.url !== undefined && safeLinkUrl(message.url) !== undefined) {
    return [mrkdwnSection(`*${slackLink(message.url, title, SLACK_LIMITS.sectionText - 2)}*`)];
  }
  return [headerBlock(title)];
}

function renderBlock(block: MessageBlock): KnownBlock[] {
  switch (block.kind) {
    case 'heading':
      return block.text.trim() === '' ? [] : [headerBlock(block.text)];
    case 'text':
      return block.text.trim() === '' ? [] : [mrkdwnSection(escapeWithin(block.text, SLACK_LIMITS.sectionText))];
    case 'quote':
      return block.text.trim() === '' ? [] : [mrkdwnSection(quote(block.text))];
    case 'fields':
      return fieldSections(block.fields);
    case 'link':
      return [mrkdwnSection(slackLink(block.url, block.text, SLACK_LIMITS.sectionText))];
    case 'list':
      return block.items.length === 0 ? [] : [mrkdwnSection(bulletList(block.items))];
    case 'context':
      return block.text.trim() === '' ? [] : [contextBlock(escapeWithin(block.text, SLACK_LIMITS.sectionText))];
    case 'divider':
      return [{ type: 'divider' }];
  }
}

function headerBlock(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: escapeWithin(text.replace(/\s+/g, ' ').trim(), SLACK_LIMITS.headerText), emoji: true } };
}

// verbatim: Slack then does no automatic parsing (no auto-linked channel names or mentions) of our text.
function mrkdwnSection(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text, verbatim: true } };
}

function contextBlock(text: string, verbatim = true): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text, verbatim }] };
}

/** Each line behind ">", cut at a word to our quote length, and within a section once escaped. */
function quote(text: string): string {
  const cut = cutAtWord(text.trim(), SLACK_LIMITS.quote);
  const markers = cut.split('\n').length;
  return escapeWithin(cut, SLACK_LIMITS.sectionText - markers)
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

function bulletList(items: string[]): string {
  const lines: string[] = [];
  let length = 0;
  for (const [index, item] of items.entries()) {
    const line = `• ${escapeWithin(item.replace(/\s+/g, ' ').trim(), SLACK_LIMITS.sectionText - 2)}`;
    const more = `…and ${items.length - index} more`;
    if (length + line.length + 1 > SLACK_LIMITS.sectionText - more.length - 1) {
      lines.push(more);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}

function fieldSections(fields: { label: string; value: string }[]): KnownBlock[] {
  const sections: KnownBlock[] = [];
  for (let start = 0; start < fields.length; start += SLACK_LIMITS.fieldsPerSection) {
    const chunk = fields.slice(start, start + SLACK_LIMITS.fieldsPerSection);
    sections.push({
      type: 'section',
      fields: chunk.map(({ label, value }) => {
        const escapedLabel = escapeWithin(label, 200);
        const room = SLACK_LIMITS.fieldText - escapedLabel.length - 3;
        return { type: 'mrkdwn' as const, text: `*${escapedLabel}*\n${escapeWithin(value, room)}`, verbatim: true };
      }),
    });
  }
  return sections;
}

/** At most 50 blocks: the footer and mentions always stay; the body is cut with a note. */
function fitBlockBudget(body: KnownBlock[], tail: KnownBlock[]): KnownBlock[] {
  const room = SLACK_LIMITS.blocksPerMessage - tail.length;
  if (body.length <= room) return [...body, ...tail];
  const kept = body.slice(0, room - 1);
  return [...kept, contextBlock(`…${body.length - kept.length} more parts not shown`), ...tail];
}

function fallbackText(message: Message, mentions: string[]): string {
  const parts: string[] = [];
  if (message.title !== undefined && message.title.trim() !== '') parts.push(message.title.trim());
  for (const block of message.blocks) {
    if (block.kind === 'text' || block.kind === 'heading') parts.push(block.text);
    else if (block.kind === 'quote') parts.push(quotedOnce(cutAtWord(block.text.trim(), SLACK_LIMITS.quote)));
  }
  if (parts.length === 0 && message.footer !== undefined) parts.push(message.footer);
  const plain = parts
    .map((part) => part.replace(/\s+/g, ' ').trim())
    .filter((part) => part !== '')
    .join(' — ');
  const text = escapeWithin(plain, SLACK_LIMITS.fallbackText - mentions.join(' ').length - 1);
  const withMentions = mentions.length > 0 ? `${mentions.join(' ')} ${text}` : text;
  // Slack rejects an empty text when blocks cannot serve as the notification.
  return withMentions.trim() === '' ? 'storywatch' : withMentions;
}

/** Quote marks around a quote, unless it already carries its own ("Netflix: “…”"). */
function quotedOnce(text: string): string {
  return /["“”]/.test(text) ? text : `“${text}”`;
}
