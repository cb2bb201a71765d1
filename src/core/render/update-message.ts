// An update as a neutral chat message; the adapters turn it into Block Kit, an embed or terminal text.
import type { Delivery, Message, MessageBlock, Stance, Story, Update } from '../model.js';

const STANCE_WORDS: Record<Stance, string> = {
  denies: 'denies',
  confirms: 'confirms',
  declines: 'declines to comment',
  other: 'responds',
};

export function stanceLabel(stance: Stance): string {
  return STANCE_WORDS[stance];
}

/** "Netflix denies", "Netflix and Spotify respond", or "New reporting" for coverage without a statement. */
export function headlineOf(update: Update): string {
  const first = update.statements[0];
  if (!first) return 'New reporting';
  const companies = [...new Set(update.statements.map((statement) => statement.company))];
  if (companies.length === 1) return `${first.company} ${stanceLabel(first.stance)}`;
  return `${companies.join(' and ')} respond`;
}

function sourceLine(update: Update): string {
  const [first, ...others] = update.reports;
  if (!first) return '';
  const also = others.map((report) => report.source);
  return also.length > 0 ? `${first.source} · also reported by ${[...new Set(also)].join(', ')}` : first.source;
}

export function renderUpdate(update: Update, story: Story | undefined, delivery?: Pick<Delivery, 'mentions' | 'action'>): Message {
  const first = update.reports[0];
  const blocks: MessageBlock[] = [];
  // The title carries the outlet's headline; the heading says what happened.
  blocks.push({ kind: 'heading', text: headlineOf(update) });
  const fields = [
    { label: 'Story', value: story?.title ?? update.story },
    { label: 'Companies', value: update.companies.join(', ') || '—' },
  ];
  if (update.statements[0]) fields.push({ label: 'Stance', value: stanceLabel(update.statements[0].stance) });
  blocks.push({ kind: 'fields', fields });
  for (const statement of update.statements) {
    blocks.push({ kind: 'quote', text: `${statement.company}: “${statement.quote}”` });
  }
  blocks.push({ kind: 'text', text: `Source: ${sourceLine(update)}` });
  for (const report of update.reports.slice(0, 10)) {
    if (report.link) blocks.push({ kind: 'link', text: `${report.source}: ${report.title}`, url: report.link });
  }
  const message: Message = {
    title: first?.title ?? headlineOf(update),
    blocks,
    footer: `Why this matched: ${update.why}`,
    accent: update.statements[0]?.stance ?? 'info',
  };
  if (first?.link) message.url = first.link;
  if (delivery?.action === 'post' && delivery.mentions.length > 0) message.mentions = delivery.mentions;
  if (delivery?.action === 'dm') {
    blocks.unshift({ kind: 'context', text: `You subscribed to ${update.statements[0]?.company ?? update.companies.join(', ')} in ${story?.title ?? update.story}.` });
  }
  return message;
}

export function feedPausedMessage(feedTitle: string, feedId: string, reason: string): Message {
  return {
    title: `Feed paused: ${feedTitle}`,
    blocks: [
      { kind: 'text', text: `storywatch stopped polling ${feedTitle} after repeated failures: ${reason}` },
      { kind: 'context', text: `Fix the feed or its URL, then run /feeds resume ${feedId}` },
    ],
    accent: 'error',
  };
}
