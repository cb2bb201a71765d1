// Turns one matched item into changes: new developments to post, or another outlet's report of a
// development already posted (an edit), plus the outbox entries that carry them. Pure.
import { dmDelivery, editDelivery, postDelivery } from '../deliveries.js';
import { containment, resemblance } from '../dedupe/near-duplicate.js';
import { fnv1a64 } from '../dedupe/item-key.js';
import type {
  Delivery,
  Destination,
  Feed,
  FeedItem,
  Report,
  Statement,
  Story,
  StoryMatch,
  Subscription,
  Update,
} from '../model.js';

/** Quotes sharing this much of the shorter one are the same statement. */
const SAME_QUOTE = 0.5;
/** Headlines this alike are syndicated copies of one report. */
const SAME_HEADLINE = 0.6;
/** Only group with developments this recent. */
const GROUPING_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;

export interface PlanInput {
  story: Story;
  match: StoryMatch;
  item: FeedItem;
  feed: Feed;
  /** The story's recent updates, newest first. */
  recent: Update[];
  /** Subscriptions to any company of the match for this story. */
  subscriptions: Subscription[];
  /** Channels the story posts to, one per active platform. */
  channels: Destination[];
  now: number;
}

export interface Plan {
  /** Updates to write: new ones (revision 0) and existing ones with another report. */
  updates: Update[];
  deliveries: Delivery[];
}

function reportOf(item: FeedItem, feed: Feed): Report {
  return {
    feedId: feed.id,
    source: feed.title,
    title: item.title,
    itemKey: item.key,
    ...(item.link ? { link: item.link } : {}),
    ...(item.publishedAt ? { publishedAt: item.publishedAt } : {}),
  };
}

/** Which report of the update this item is (its revision), or -1. */
function reportIndex(update: Update, item: FeedItem, feed: Feed): number {
  return update.reports.findIndex(
    (report) => (report.feedId === feed.id && report.itemKey === item.key) || (!!item.link && report.link === item.link),
  );
}

/** The outbox entries for one revision: the first post and DMs at revision 0, an edit after that. */
function deliveriesFor(update: Update, revision: number, input: PlanInput): Delivery[] {
  const { channels, now } = input;
  if (revision > 0) {
    return channels.map((channel) => editDelivery(update, channel, now, revision));
  }
  const subscribers = subscribersFor(update, input.subscriptions);
  const deliveries = channels.map((channel) => {
    const mentions = subscribers
      .filter((subscription) => subscription.mode === 'mention' && subscription.platform === channel.platform)
      .map((subscription) => subscription.userId);
    return postDelivery(update, channel, now, [...new Set(mentions)]);
  });
  const dmUsers = new Map<string, Destination>();
  for (const subscription of subscribers) {
    if (subscription.mode !== 'dm') continue;
    dmUsers.set(`${subscription.platform}:${subscription.userId}`, { platform: subscription.platform, user: subscription.userId });
  }
  for (const destination of dmUsers.values()) {
    deliveries.push(dmDelivery(update, destination, now));
  }
  return deliveries;
}

/** One development per company that made a statement; coverage without statements is one more. */
function developmentsOf(match: StoryMatch): { company?: string; statements: Statement[] }[] {
  const byCompany = new Map<string, Statement[]>();
  for (const statement of match.statements) {
    byCompany.set(statement.company, [...(byCompany.get(statement.company) ?? []), statement]);
  }
  if (byCompany.size === 0) return [{ statements: [] }];
  return [...byCompany].map(([company, statements]) => ({ company, statements }));
}

function sameDevelopment(update: Update, company: string | undefined, statements: Statement[], item: FeedItem): boolean {
  if (company === undefined) {
    if (update.statements.length > 0) return false;
    return update.reports.some((report) => resemblance(report.title, item.title) >= SAME_HEADLINE);
  }
  return update.statements.some(
    (known) =>
      known.company === company &&
      statements.some((statement) => containment(known.quote, statement.quote) >= SAME_QUOTE),
  );
}

function subscribersFor(update: Update, subscriptions: Subscription[]): Subscription[] {
  // Subscribers asked to hear when the company responds: coverage that only names it is not that.
  const concerned = new Set(update.statements.map((statement) => statement.company));
  return subscriptions.filter(
    (subscription) =>
      concerned.has(subscription.company) && (subscription.story === undefined || subscription.story === update.story),
  );
}

export function planUpdates(input: PlanInput): Plan {
  const { story, match, item, feed, now } = input;
  const plan: Plan = { updates: [], deliveries: [] };
  const recent = input.recent.filter((update) => now - update.createdAt <= GROUPING_WINDOW_MS);

  for (const development of developmentsOf(match)) {
    const reported = recent.find((update) => reportIndex(update, item, feed) >= 0 && (update.statements[0]?.company ?? undefined) === development.company);
    if (reported) {
      // Seen before (a crash after writing, or the same item in a second feed): emit the same
      // deliveries again; the outbox keeps only the first of each id, so nothing is sent twice.
      plan.deliveries.push(...deliveriesFor(reported, reportIndex(reported, item, feed), input));
      continue;
    }
    const existing = recent.find((update) => sameDevelopment(update, development.company, development.statements, item));
    if (existing) {
      const grown: Update = {
        ...existing,
        reports: [...existing.reports, reportOf(item, feed)],
        revision: existing.revision + 1,
      };
      plan.updates.push(grown);
      plan.deliveries.push(...deliveriesFor(grown, grown.revision, input));
      continue;
    }

    const developmentKey = `${development.company ?? 'coverage'}|${feed.id}|${item.key}`;
    const update: Update = {
      id: `${story.slug}/${fnv1a64(developmentKey)}`,
      story: story.slug,
      developmentKey,
      companies: match.companies,
      statements: development.statements,
      why: match.why,
      score: match.score,
      reports: [reportOf(item, feed)],
      revision: 0,
      createdAt: now,
    };
    plan.updates.push(update);
    plan.deliveries.push(...deliveriesFor(update, 0, input));
  }
  return plan;
}
