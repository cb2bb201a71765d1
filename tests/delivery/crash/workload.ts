// The work a crash-test process does: a deterministic stream of feed items about one synthetic
// story, run through the pipeline (or written straight to the outbox) and delivered.
import type { Logger } from 'pino';
import { processFeedItems } from '../../../src/app/process-items.js';
import { createMatcher } from '../../../src/core/matching/match-item.js';
import type { Delivery, Destination, Feed, FeedItem, Message, Platform, Story, Update } from '../../../src/core/model.js';
import type { ChatAdapter, Clock, Store } from '../../../src/core/ports.js';
import { createDeliverer } from '../../../src/delivery/deliver.js';
import { dmDelivery, editDelivery, postDelivery } from '../../../src/core/deliveries.js';

export type WorkloadMode = 'pipeline' | 'outbox';

export interface WorkloadOptions {
  mode: WorkloadMode;
  items: number;
  /** Items per simulated poll; delivery runs after each. */
  batch: number;
}

export const CHANNELS: Destination[] = [
  { platform: 'slack', channel: 'C-news' },
  { platform: 'discord', channel: 'D-news' },
];

export const STORY: Story = {
  slug: 'acme-messages',
  title: 'Acme shared private messages with partners',
  summary: 'A synthetic story for crash tests.',
  reporting: [],
  companies: [{ name: 'Acme', id: 'acme', role: 'subject', aliases: [{ text: 'Acme', caseSensitive: true, negativeContexts: [] }] }],
  vocabulary: { core: ['private messages', 'partnerships'], related: ['privacy', 'user data'], negative: [] },
  threshold: 5,
  channels: {},
};

export const FEED: Feed = { id: 'wire', url: 'http://127.0.0.1/wire', title: 'Wire', kind: 'outlet', stories: [], intervalMinutes: 5 };

/** A small deterministic PRNG (mulberry32), so every process generates the same items. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'ze', 'po', 'qua', 'dri', 'fen', 'gor', 'hul', 'jax'];

/** Every fifth item is a second outlet's report of the previous development (an edit). */
export function isFollowUp(index: number): boolean {
  return index % 5 === 4;
}

export function workloadItems(count: number): FeedItem[] {
  const random = seededRandom(20181218);
  const word = () => Array.from({ length: 3 }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join('');
  const items: FeedItem[] = [];
  let previousTitle = '';
  for (let index = 0; index < count; index += 1) {
    const title = isFollowUp(index)
      ? `${previousTitle} report`
      : `Acme private messages ${word()} ${word()} ${word()} ${word()} ${word()} ${word()}`;
    previousTitle = title;
    items.push({
      feedId: FEED.id,
      key: `item-${index}`,
      link: `http://127.0.0.1/wire/${index}`,
      title,
      summary: `Documents show Acme gave partners access to private messages and user data through partnerships (${index}).`,
    });
  }
  return items;
}

/**
 * What the fake platform shows: the update's headline and how many reports it had when rendered.
 * Only the update decides it (as in the product), so a post that already shows a later revision
 * and a post brought there by an edit look the same.
 */
export function renderForTest(update: Update, _delivery: Delivery): Message {
  return {
    title: update.reports[0]?.title ?? update.id,
    blocks: [{ kind: 'text', text: `${update.reports.length} reports, revision ${update.revision}` }],
  };
}

/** The pipeline's order without the matcher: outbox entries, then the update, then the item is seen. */
async function writeStraightToOutbox(store: Store, clock: Clock, items: FeedItem[]): Promise<void> {
  for (const item of items) {
    const seenKey = `${FEED.id}\u0000${item.key}`;
    if (await store.seenItems.has(seenKey)) continue;
    const index = Number(item.key.slice('item-'.length));
    const now = clock.now();
    const report = { feedId: FEED.id, source: FEED.title, title: item.title, itemKey: item.key };
    let update: Update;
    let deliveries: Delivery[];
    if (isFollowUp(index)) {
      const original = (await store.updates.get(`u-${index - 1}`))!;
      const known = original.reports.some((existing) => existing.itemKey === item.key);
      update = known ? original : { ...original, reports: [...original.reports, report], revision: original.revision + 1 };
      deliveries = CHANNELS.map((channel) => editDelivery(update, channel, now));
    } else {
      update = {
        id: `u-${index}`, story: STORY.slug, developmentKey: item.key, companies: ['Acme'], statements: [],
        why: 'written straight to the outbox', score: 7, reports: [report], revision: 0, createdAt: now,
      };
      deliveries = CHANNELS.map((channel) => postDelivery(update, channel, now));
      if (index % 3 === 0) deliveries.push(dmDelivery(update, { platform: 'slack', user: 'U-subscriber' }, now));
    }
    await store.outbox.enqueue(deliveries);
    await store.updates.put(update);
    await store.seenItems.add([seenKey]);
  }
}

export interface WorkloadDeps {
  store: Store;
  adapters: Partial<Record<Platform, ChatAdapter>>;
  clock: Clock;
  logger: Logger;
  /** Called after each poll and delivery round (progress reports). */
  onProgress?(processed: number): void;
}

export async function runWorkload(deps: WorkloadDeps, options: WorkloadOptions): Promise<void> {
  const { store, clock, logger } = deps;
  const deliverer = createDeliverer({ store, adapters: deps.adapters, render: renderForTest, clock, logger, baseBackoffMs: 10, batchSize: 100 });
  const matcher = createMatcher([STORY]);
  // Idempotent: the same subscription written again is the same subscription.
  await store.subscriptions.add({ platform: 'slack', userId: 'U-subscriber', company: 'Acme', mode: 'dm', createdAt: 0 });
  const items = workloadItems(options.items);
  for (let start = 0; start < items.length; start += options.batch) {
    const batch = items.slice(start, start + options.batch);
    if (options.mode === 'pipeline') {
      await processFeedItems({ stories: [STORY], matcher, store, channelsFor: () => CHANNELS, clock, logger }, FEED, batch, { firstPoll: false });
    } else {
      await writeStraightToOutbox(store, clock, batch);
    }
    await deliverer.deliverDue();
    deps.onProgress?.(start + batch.length);
  }
  // Drain: everything pending is sent (or waits out a backoff, then is sent).
  while ((await store.outbox.due(Number.MAX_SAFE_INTEGER, 1)).length > 0) {
    const round = await deliverer.deliverDue();
    if (round.sent + round.deferred + round.failed === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
