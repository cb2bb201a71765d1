// Makes untrusted text (feed headlines, quotes, command replies) safe for Slack mrkdwn:
// nothing a feed writes can ping a channel, a user or a group, or hide a link.
import { cutAtWord } from '../../core/render/cut-at-word.js';

/** Slack's three control characters, escaped as Slack documents. */
export function escapeSlackText(text: string): string {
  return neutraliseBroadcasts(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/**
 * "@channel", "@here" and "@everyone" written literally can be parsed into pings by some clients
 * and by Slack's automatic parsing; a zero-width space after the "@" keeps the look and drops the ping.
 */
export function neutraliseBroadcasts(text: string): string {
  return text.replace(/@(channel|here|everyone|group)\b/gi, '@\u200B$1');
}

/** Only http(s) links are rendered; anything else (javascript:, slack:, mailto:…) yields undefined. */
export function safeLinkUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // URL#href percent-encodes spaces, quotes, < and >; "|" would end the link target and "&" must be escaped.
  return url.href.replace(/\|/g, '%7C').replace(/&/g, '&amp;');
}

/**
 * `<url|text>` with the text escaped, at most `max` characters in all; plain escaped text when the url
 * is not a safe http(s) url (or is too long to leave room for its text).
 */
export function slackLink(url: string, text: string, max = 3000): string {
  const label = text.replace(/\s+/g, ' ').trim() === '' ? url : text.replace(/\s+/g, ' ').trim();
  const safeUrl = safeLinkUrl(url);
  if (safeUrl === undefined || safeUrl.length > max / 2) return escapeWithin(label, max);
  return `<${safeUrl}|${escapeWithin(label, max - safeUrl.length - 3)}>`;
}

const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;

/** `<@U…>` for each well-formed user id; anything else is dropped, so only ids we were given can ping. */
export function slackMentions(userIds: readonly string[] | undefined): string[] {
  const mentions: string[] = [];
  for (const id of userIds ?? []) {
    if (SLACK_USER_ID.test(id) && !mentions.includes(`<@${id}>`)) mentions.push(`<@${id}>`);
  }
  return mentions;
}

/** Escapes text, cutting the raw text first so an entity (&amp;) is never split, until the result fits. */
export function escapeWithin(text: string, max: number): string {
  // Escaping never shortens text, so text longer than max is cut before it is escaped.
  if (text.length <= max) {
    const escaped = escapeSlackText(text);
    if (escaped.length <= max) return escaped;
  }
  // Entities make the escaped text longer than the raw; shrink the raw budget in proportion until it fits.
  let budget = Math.min(max, text.length);
  let candidate = escapeSlackText(cutAtWord(text, budget));
  while (candidate.length > max && budget > 1) {
    budget = Math.max(1, Math.min(budget - 1, Math.floor((budget * max) / candidate.length)));
    candidate = escapeSlackText(cutAtWord(text, budget));
  }
  return candidate;
}
