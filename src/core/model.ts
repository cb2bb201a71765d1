// The plain data every part of storywatch passes around. No behaviour here.

/** One way a company is named in text ("RBC", "Royal Bank of Canada"). */
export interface Alias {
  text: string;
  /** Ambiguous aliases ("Apple", "Amazon") only count when written with this exact case. */
  caseSensitive: boolean;
  /** Words that, near the alias, mean it is not the company ("apple pie", "Amazon rainforest"). */
  negativeContexts: string[];
}

export interface Company {
  /** Canonical name, used in output and labels: "Royal Bank of Canada". */
  name: string;
  /** Short id for commands: "rbc". */
  id: string;
  aliases: Alias[];
  /** "subject": the story is about this company (Facebook); "named": the reporting names it. */
  role: 'subject' | 'named';
  /** People who speak for the company ("Steve Satterfield"): their words are its statements. */
  spokespeople?: string[];
}

export interface StoryVocabulary {
  /** Terms that on their own signal the story ("private messages", "partnerships"). */
  core: string[];
  /** Weaker terms that support a match ("privacy", "user data"). */
  related: string[];
  /** Terms of neighbouring stories that count against a match ("earnings", "Cambridge Analytica"). */
  negative: string[];
}

export interface Reporting {
  title: string;
  url: string;
  outlet: string;
  date?: string;
}

export interface Story {
  slug: string;
  title: string;
  summary: string;
  reporting: Reporting[];
  companies: Company[];
  vocabulary: StoryVocabulary;
  /** Minimum relevance score for an item to match this story. */
  threshold: number;
  /** ISO date; items published before it are background, not developments. */
  since?: string;
  channels: { slack?: string; discord?: string; shell?: string };
}

export type FeedKind = 'newsroom' | 'outlet' | 'search';

export interface Feed {
  id: string;
  url: string;
  title: string;
  kind: FeedKind;
  /** Canonical name of the company that owns the feed (its newsroom): its items are its statements. */
  company?: string;
  /** Slugs of the stories this feed is watched for; empty means every story. */
  stories: string[];
  intervalMinutes: number;
  /** Post what the feed already holds on its first poll (the offline demo); live feeds only record it. */
  backfill?: boolean;
}

export interface FeedItem {
  feedId: string;
  /** Stable key: guid, else link, else a hash of title and date. */
  key: string;
  guid?: string;
  link?: string;
  title: string;
  /** Description or summary as the feed gave it (may hold HTML). */
  summary: string;
  /** Full content where the feed has it (may hold HTML). */
  content?: string;
  /** ISO 8601. */
  publishedAt?: string;
  author?: string;
}

export type Stance = 'denies' | 'confirms' | 'declines' | 'other';

export interface Statement {
  company: string;
  quote: string;
  stance: Stance;
  /** The words that made this a statement ("a spokesperson told", "newsroom feed"). */
  cue?: string;
}

export interface StoryMatch {
  story: string;
  score: number;
  companies: string[];
  statements: Statement[];
  why: string;
}

/** One outlet's item reporting a development. */
export interface Report {
  feedId: string;
  source: string;
  title: string;
  link?: string;
  itemKey: string;
  publishedAt?: string;
}

/** A development in a story: one post, however many outlets report it. */
export interface Update {
  id: string;
  story: string;
  /** Groups the same development reported by several outlets. */
  developmentKey: string;
  companies: string[];
  statements: Statement[];
  why: string;
  score: number;
  /** Every report, the first one first. */
  reports: Report[];
  /** Bumped each time another outlet's report is added (the post is edited). */
  revision: number;
  createdAt: number;
}

export type Platform = 'slack' | 'discord' | 'shell';

export interface MessageRef {
  platform: Platform;
  channel: string;
  id: string;
}

export interface Destination {
  platform: Platform;
  /** A channel to post in, or a user to message directly. */
  channel?: string;
  user?: string;
}

export type DeliveryAction = 'post' | 'edit' | 'dm';

/** One outbox entry: a message that must reach one destination exactly once. */
export interface Delivery {
  /** Stable id, also sent to the platform so a retry after a crash can be recognised. */
  id: string;
  updateId: string;
  revision: number;
  action: DeliveryAction;
  destination: Destination;
  /** Users to ping in a channel post (subscribers who chose "mention"). */
  mentions: string[];
  status: 'pending' | 'done' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  ref?: MessageRef;
  lastError?: string;
}

export interface Subscription {
  platform: Platform;
  userId: string;
  /** Canonical company name. */
  company: string;
  /** Story slug; absent means any story that names the company. */
  story?: string;
  mode: 'dm' | 'mention';
  createdAt: number;
}

export type FeedStatus = 'new' | 'ok' | 'failing' | 'paused';

export interface FeedState {
  feedId: string;
  status: FeedStatus;
  etag?: string;
  lastModified?: string;
  lastAttemptAt?: number;
  lastSuccessAt?: number;
  lastError?: string;
  consecutiveFailures: number;
  nextPollAt?: number;
  /** Set once the channel has been told the feed is paused, so it is told once. */
  pauseNotified?: boolean;
}

// ---- Chat messages, neutral: adapters render them as Block Kit, embeds or terminal text.

export type MessageBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'quote'; text: string }
  | { kind: 'fields'; fields: { label: string; value: string }[] }
  | { kind: 'link'; text: string; url: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'context'; text: string }
  | { kind: 'divider' };

export interface Message {
  /** Headline; embeds use it as the title. */
  title?: string;
  url?: string;
  blocks: MessageBlock[];
  /** Small print under the message ("why this matched"). */
  footer?: string;
  /** Users to ping (platform user ids); nothing else in the message may ping. */
  mentions?: string[];
  /** Visual accent for embeds: the stance of the main statement, if any. */
  accent?: Stance | 'info' | 'error';
}

export interface CommandInvocation {
  platform: Platform;
  userId: string;
  channelId?: string;
  /** Command name without the slash: "story". */
  name: string;
  /** Arguments split on whitespace. */
  args: string[];
  /** The member may change shared state (feeds). */
  isAdmin: boolean;
}

export interface Reply {
  visibility: 'ephemeral' | 'public';
  message: Message;
}
