// New feed items → matches → updates and outbox entries → items marked seen, in that order,
// so a crash at any point re-processes the item and the outbox ids keep it from posting twice.
import type { Logger } from 'pino';
import type { Matcher } from '../core/matching/match-item.js';
import type { Delivery, Destination, Feed, FeedItem, Story, StoryMatch, Subscription, Update } from '../core/model.js';
import type { Clock, Store } from '../core/ports.js';
import { planUpdates } from '../core/updates/plan-updates.js';

/** How many recent updates of a story new items are grouped against. */
const RECENT_UPDATES = 300;

export interface ProcessDeps {
  stories: Story[];
  matcher: Matcher;
  store: Store;
  /** The channels a story posts to on the platforms that are running. */
  channelsFor(story: Story): Destination[];
  clock: Clock;
  logger: Logger;
}

export interface ProcessResult {
  seen: number;
  matched: number;
  updates: Update[];
  deliveries: Delivery[];
}

export function seenKey(feed: Feed, item: FeedItem): string {
  return `${feed.id}\u0000${item.key}`;
}

export async function processFeedItems(
  deps: ProcessDeps,
  feed: Feed,
  items: FeedItem[],
  context: { firstPoll: boolean },
): Promise<ProcessResult> {
  const result: ProcessResult = { seen: 0, matched: 0, updates: [], deliveries: [] };
  const stories = new Map(
    deps.stories.filter((story) => feed.stories.length === 0 || feed.stories.includes(story.slug)).map((s) => [s.slug, s]),
  );
  // Only record what a new feed already holds, unless it is meant to be posted (the offline demo).
  const recordOnly = context.firstPoll && feed.backfill !== true;
  const recentByStory = new Map<string, Update[]>();

  for (const item of items) {
    const key = seenKey(feed, item);
    if (await deps.store.seenItems.has(key)) {
      result.seen += 1;
      continue;
    }
    if (!recordOnly) {
      let matches: StoryMatch[];
      try {
        matches = deps.matcher.match(item, feed).filter((match) => stories.has(match.story));
      } catch (error) {
        // One item the matcher cannot handle must not stop the feed; it is logged and skipped.
        deps.logger.error({ err: error, feed: feed.id, item: item.key }, 'matching failed for an item; skipped');
        matches = [];
      }
      for (const match of matches) {
        const story = stories.get(match.story)!;
        let recent = recentByStory.get(story.slug);
        if (!recent) {
          recent = await deps.store.updates.listByStory(story.slug, RECENT_UPDATES);
          recentByStory.set(story.slug, recent);
        }
        const subscriptions: Subscription[] = [];
        for (const company of match.companies) {
          subscriptions.push(...(await deps.store.subscriptions.listByCompany(company, story.slug)));
        }
        const plan = planUpdates({
          story,
          match,
          item,
          feed,
          recent,
          subscriptions,
          channels: deps.channelsFor(story),
          now: deps.clock.now(),
        });
        // Outbox first: an entry whose update is not written yet waits; an update without its
        // entries would never be posted.
        const added = await deps.store.outbox.enqueue(plan.deliveries);
        for (const update of plan.updates) {
          await deps.store.updates.put(update);
          const index = recent.findIndex((known) => known.id === update.id);
          if (index >= 0) recent.splice(index, 1);
          recent.unshift(update);
        }
        result.updates.push(...plan.updates);
        result.deliveries.push(...added);
        result.matched += 1;
        deps.logger.info(
          { feed: feed.id, item: item.key, story: story.slug, score: match.score, companies: match.companies },
          `matched: ${item.title}`,
        );
      }
    }
    await deps.store.seenItems.add([key]);
  }
  return result;
}
