import type { Feed, Message, Reply, Story } from '../model.js';
import type { FeedStates, Subscriptions, Updates } from '../ports.js';

/** What commands read and change: store repositories and configuration, passed in by the composition root. */
export interface CommandContext {
  stories: Story[];
  feeds: Feed[];
  updates: Updates;
  subscriptions: Subscriptions;
  feedStates: FeedStates;
  /** Resumes a paused feed (a write to the shared feed state: any replica can do it). */
  resumeFeed: (feedId: string) => Promise<boolean>;
  now: () => number;
}

export function ephemeral(message: Message): Reply {
  return { visibility: 'ephemeral', message };
}

export function textReply(title: string, ...lines: string[]): Reply {
  return ephemeral({ title, blocks: lines.map((text) => ({ kind: 'text' as const, text })) });
}

/** "2018-12-19 14:00 UTC" */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return 'never';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
