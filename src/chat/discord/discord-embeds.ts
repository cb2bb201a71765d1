// The neutral Message as one Discord embed. Pure: no client, no I/O.
// Discord rejects an embed over its limits (and the whole message with it), so every
// part is cut to its cap here, and the 6,000-character total is enforced last.
import { escapeMarkdown, type APIEmbed, type APIEmbedField } from 'discord.js';
import type { Message, MessageBlock, Stance } from '../../core/model.js';
import { cutAtWord } from '../../core/render/cut-at-word.js';
import { MARKER_ROOM, withMarker } from './delivery-marker.js';

export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  total: 6000,
} as const;

const ELLIPSIS = '…';

/** Colours a reader learns quickly: green confirms, red denies, amber declines. */
export const ACCENT_COLORS: Record<Stance | 'info' | 'error', number> = {
  confirms: 0x2e7d32,
  denies: 0xc62828,
  declines: 0xef6c00,
  other: 0x607d8b,
  info: 0x1565c0,
  error: 0xb71c1c,
};

/**
 * Escapes text that came from a feed so it shows as written: Markdown, block quotes,
 * headings, subtext and masked links would otherwise render (or hide a link).
 */
export function escapeFeedText(text: string): string {
  const escaped = escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true });
  return escaped.replace(/^(\s*)(>|-#)/gm, '$1\\$2');
}

/** Cuts text to at most max characters at a word boundary, ending with an ellipsis. */
export function truncateAtWord(text: string, max: number): string {
  const cut = cutAtWord(text, max);
  if (cut === text || !cut.endsWith(ELLIPSIS)) return cut;
  // A trailing backslash would escape the ellipsis (or leave half an escape).
  return `${cut.slice(0, -ELLIPSIS.length).replace(/\\+$/, '').trimEnd()}${ELLIPSIS}`;
}

/** Only http(s) links become masked links; anything else is shown as text. */
function safeUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    // Parentheses and spaces would end a Markdown link early.
    return parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/ /g, '%20');
  } catch {
    return undefined;
  }
}

/**
 * Escapes at most the first max+1 characters: escaping only lengthens text, so nothing past them
 * can show, and the extra character makes the final cut add its ellipsis. Keeps huge feed text cheap.
 */
function escapeVisiblePart(text: string, max: number): string {
  return escapeFeedText(text.length > max + 1 ? text.slice(0, max + 1) : text);
}

function renderBlock(block: Exclude<MessageBlock, { kind: 'fields' }>, max: number): string {
  switch (block.kind) {
    case 'heading':
      return `**${escapeVisiblePart(block.text, max)}**`;
    case 'text':
      return escapeVisiblePart(block.text, max);
    case 'quote':
      return escapeVisiblePart(block.text, max)
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
    case 'link': {
      const url = safeUrl(block.url);
      const text = escapeVisiblePart(block.text, max).replace(/[[\]]/g, '\\$&');
      return url ? `[${text}](${url})` : text;
    }
    case 'list':
      return block.items.map((item) => `• ${escapeVisiblePart(item, max)}`).join('\n');
    case 'context':
      return `-# ${escapeVisiblePart(block.text, max).replace(/\n/g, ' ')}`;
    case 'divider':
      return '───';
  }
}

/** The description: blocks in order, rendered only until the limit is passed. */
function renderDescription(message: Message): string {
  const parts: string[] = [];
  let length = 0;
  for (const block of message.blocks) {
    if (block.kind === 'fields') continue;
    if (length > EMBED_LIMITS.description) break;
    const part = renderBlock(block, EMBED_LIMITS.description);
    parts.push(part);
    length += part.length + 2;
  }
  return truncateAtWord(parts.join('\n\n'), EMBED_LIMITS.description);
}

function renderFields(message: Message): APIEmbedField[] {
  const fields: APIEmbedField[] = [];
  for (const block of message.blocks) {
    if (block.kind !== 'fields') continue;
    for (const field of block.fields) {
      if (fields.length >= EMBED_LIMITS.fields) return fields;
      const value = truncateAtWord(escapeVisiblePart(field.value, EMBED_LIMITS.fieldValue), EMBED_LIMITS.fieldValue);
      fields.push({
        name: truncateAtWord(escapeVisiblePart(field.label, EMBED_LIMITS.fieldName), EMBED_LIMITS.fieldName) || '\u200b',
        value: value || '\u200b',
        inline: value.length <= 40,
      });
    }
  }
  return fields;
}

function fieldsLength(fields: APIEmbedField[]): number {
  return fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
}

/** The characters Discord counts toward the 6,000 total. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    fieldsLength(embed.fields ?? []) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0)
  );
}

export interface RenderOptions {
  /** A delivery marker (see delivery-marker.ts) to end the footer with; its room is reserved first. */
  marker?: string;
}

/** One embed for a message, within every Discord limit, the marker (when given) included. */
export function renderEmbed(message: Message, options: RenderOptions = {}): APIEmbed {
  const reserved = options.marker ? MARKER_ROOM : 0;
  const embed: APIEmbed = {};
  if (message.title) embed.title = truncateAtWord(escapeVisiblePart(message.title, EMBED_LIMITS.title), EMBED_LIMITS.title);
  const url = message.url ? safeUrl(message.url) : undefined;
  if (url && embed.title) embed.url = message.url;

  const description = renderDescription(message);
  if (description) embed.description = description;

  const fields = renderFields(message);
  if (fields.length > 0) embed.fields = fields;
  // Footers do not render Markdown, so their text is left as written.
  if (message.footer) embed.footer = { text: truncateAtWord(message.footer, EMBED_LIMITS.footer - reserved) };
  if (message.accent) embed.color = ACCENT_COLORS[message.accent];

  // The marker is never cut: everything else fits in what it leaves.
  fitTotal(embed, EMBED_LIMITS.total - reserved);
  return options.marker ? withMarker(embed, options.marker) : embed;
}

/** When the total is over, the footer (small print) keeps at most this much at first. */
const SQUEEZED_FOOTER = 256;
/** ...and the fields together at most this share of the total, so the description keeps the rest. */
const SQUEEZED_FIELDS_SHARE = 1 / 3;

/**
 * Brings the embed under the total (6,000 less any reserved room) in order of what readers lose least:
 * a long footer first, then trailing fields beyond a third of the total, then the end of the
 * description, then any remaining fields and the footer.
 */
function fitTotal(embed: APIEmbed, total: number): void {
  const excess = (): number => embedLength(embed) - total;
  if (excess() <= 0) return;

  if (embed.footer && embed.footer.text.length > SQUEEZED_FOOTER) {
    embed.footer = { text: truncateAtWord(embed.footer.text, Math.max(SQUEEZED_FOOTER, embed.footer.text.length - excess())) };
  }
  const fieldBudget = total * SQUEEZED_FIELDS_SHARE;
  while (excess() > 0 && embed.fields?.length && fieldsLength(embed.fields) > fieldBudget) embed.fields.pop();
  if (excess() > 0 && embed.description) {
    const keep = embed.description.length - excess();
    if (keep > ELLIPSIS.length) embed.description = truncateAtWord(embed.description, keep);
    else delete embed.description;
  }
  while (excess() > 0 && embed.fields?.length) embed.fields.pop();
  if (embed.fields?.length === 0) delete embed.fields;
  if (excess() > 0 && embed.footer) {
    const keep = embed.footer.text.length - excess();
    if (keep > ELLIPSIS.length) embed.footer = { text: truncateAtWord(embed.footer.text, keep) };
    else delete embed.footer;
  }
}

/**
 * At most this many users are named in one post: Discord allows 100 ids in allowed_mentions.users
 * and 2,000 characters of content, and a mention takes up to 24 (`<@` + 20 digits + `> `).
 */
export const MAX_MENTIONS = 80;

/** The mentions that are real user ids (snowflakes), once each; anything else is dropped, never rendered. */
export function userMentions(message: Message): string[] {
  return [...new Set((message.mentions ?? []).filter((id) => /^\d{1,20}$/.test(id)))].slice(0, MAX_MENTIONS);
}

/** Message content that names exactly these users (who may ping is decided by allowed_mentions). */
export function mentionContent(userIds: readonly string[]): string | undefined {
  return userIds.length > 0 ? userIds.map((id) => `<@${id}>`).join(' ') : undefined;
}
