// The text of one feed item as matching reads it: title, then summary, then full content when the
// feed has it (and it says more than the summary), each normalised, joined by line breaks.

import type { FeedItem } from '../model.js';
import { normaliseText } from '../text/normalise.js';

export interface ItemText {
  /** Title and body joined by "\n"; every offset the matcher reports points into this. */
  text: string;
  /** text.slice(0, titleEnd) is the title. */
  titleEnd: number;
}

export function itemText(item: Pick<FeedItem, 'title' | 'summary' | 'content'>): ItemText {
  const title = normaliseText(item.title);
  const summary = normaliseText(item.summary);
  const content = normaliseText(item.content);
  let body = summary;
  if (content.length > 0 && content !== summary) {
    body = content.includes(summary) ? content : summary.length > 0 ? `${summary}\n${content}` : content;
  }
  return { text: body.length > 0 ? `${title}\n${body}` : title, titleEnd: title.length };
}
