import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/app/logger.js';
import type { Delivery, Destination, Message, Update } from '../../src/core/model.js';
import { ChatError } from '../../src/core/ports.js';
import { createDeliverer } from '../../src/delivery/deliver.js';
import { dmDelivery, editDelivery, postDelivery } from '../../src/core/deliveries.js';
import { createStore, type ManagedStore } from '../../src/store/keyv-store.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { RecordingChatAdapter } from '../fakes/recording-chat-adapter.js';
import { makeTempDir } from '../store/store-test-helpers.js';

const slackChannel: Destination = { platform: 'slack', channel: 'C-news' };
const discordChannel: Destination = { platform: 'discord', channel: 'D-news' };

function update(id: string, reports = 1): Update {
  return {
    id, story: 'story', developmentKey: id, companies: ['Acme'], statements: [], why: 'matched', score: 1,
    reports: Array.from({ length: reports }, (_, index) => ({ feedId: 'f', source: `Outlet ${index}`, title: `${id} report ${index}`, itemKey: `${id}-${index}` })),
    revision: reports - 1,
    createdAt: 0,
  };
}

/** Shows which revision and how many reports were rendered, so tests can see what was sent. */
function render(current: Update, delivery: Delivery): Message {
  return { title: `${current.id} r${current.revision}`, blocks: [{ kind: 'text', text: `${current.reports.length} reports, ${delivery.action}` }] };
}

describe('the deliverer', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: ManagedStore;
  let clock: FakeClock;
  let slack: RecordingChatAdapter;
  let discord: RecordingChatAdapter;
  let permanentFailures: { delivery: Delivery; error: Error }[];

  const deliverer = (options: { maxAttempts?: number } = {}) =>
    createDeliverer({
      store, adapters: { slack, discord }, render, clock, logger: silentLogger(), baseBackoffMs: 1_000, ...options,
      onPermanentFailure: (delivery, error) => permanentFailures.push({ delivery, error }),
    });

  async function write(current: Update, ...entries: Delivery[]) {
    await store.outbox.enqueue(entries);
    await store.updates.put(current);
  }

  beforeEach(async () => {
    temp = makeTempDir();
    clock = new FakeClock();
    store = await createStore({ dataDir: temp.dir, clock });
    slack = new RecordingChatAdapter('slack');
    discord = new RecordingChatAdapter('discord');
    permanentFailures = [];
  });
  afterEach(async () => {
    await store.close();
    temp.remove();
  });

  it('posts a due entry once, with its delivery id, and keeps the message ref', async () => {
    const entry = postDelivery(update('u1'), slackChannel, clock.now());
    await write(update('u1'), entry);
    const d = deliverer();

    expect(await d.deliverDue()).toEqual({ sent: 1, deferred: 0, failed: 0, superseded: 0 });
    expect(await d.deliverDue()).toEqual({ sent: 0, deferred: 0, failed: 0, superseded: 0 });
    expect(slack.posts.map((p) => [p.target, p.deliveryId])).toEqual([['C-news', entry.id]]);
    const stored = await store.outbox.get(entry.id);
    expect(stored).toMatchObject({ status: 'done', attempts: 1, ref: slack.posts[0]!.ref });
  });

  it('renders from the update as it is when sending, not as it was when queued', async () => {
    await write(update('u1'), postDelivery(update('u1'), slackChannel, clock.now()));
    await store.updates.put(update('u1', 3));
    await deliverer().deliverDue();
    expect(slack.posts[0]!.message.title).toBe('u1 r2');
  });

  it('edits the channel post for a later revision, and holds the edit back until the post is sent', async () => {
    const first = update('u1');
    await write(first, postDelivery(first, slackChannel, clock.now()));
    const d = deliverer();
    expect(await d.deliverDue()).toEqual({ sent: 1, deferred: 0, failed: 0, superseded: 0 });

    const revised = update('u1', 2);
    await write(revised, editDelivery(revised, slackChannel, clock.now()));
    expect(await d.deliverDue()).toEqual({ sent: 1, deferred: 0, failed: 0, superseded: 0 });
    expect(slack.posts).toHaveLength(1);
    expect(slack.edits).toEqual([{ ref: slack.posts[0]!.ref, message: render(revised, { action: 'edit' } as Delivery) }]);

    // An edit still due for a revision the message already shows is not sent again.
    await store.outbox.put({ ...editDelivery(update('u1', 1), slackChannel, clock.now()), revision: 1 });
    expect(await d.deliverDue()).toEqual({ sent: 0, deferred: 0, failed: 0, superseded: 1 });
    expect(slack.edits).toHaveLength(1);
  });

  it('skips the edit when the post went out late and already shows that revision', async () => {
    const first = update('u1');
    await write(first, postDelivery(first, slackChannel, clock.now()));
    slack.failNext('post', new ChatError('unavailable', 'slack is down'));
    const d = deliverer();
    expect(await d.deliverDue()).toEqual({ sent: 0, deferred: 1, failed: 0, superseded: 0 });

    const revised = update('u1', 2);
    await write(revised, editDelivery(revised, slackChannel, clock.now()));
    expect(await d.deliverDue()).toEqual({ sent: 0, deferred: 1, failed: 0, superseded: 0 });

    clock.advance(1_000);
    expect(await d.deliverDue()).toEqual({ sent: 1, deferred: 0, failed: 0, superseded: 1 });
    expect(slack.posts).toHaveLength(1);
    expect(slack.posts[0]!.message).toEqual(render(revised, { action: 'post' } as Delivery));
    expect(slack.edits).toEqual([]);
  });

  it('waits as long as a 429 asks before sending to that platform again, while other platforms carry on', async () => {
    await write(update('u1'), postDelivery(update('u1'), slackChannel, clock.now()), postDelivery(update('u1'), discordChannel, clock.now()));
    await write(update('u2'), postDelivery(update('u2'), slackChannel, clock.now()));
    slack.failNext('post', new ChatError('rate-limited', 'slow down', 30_000));
    const d = deliverer();

    expect(await d.deliverDue()).toEqual({ sent: 1, deferred: 2, failed: 0, superseded: 0 });
    expect(discord.posts).toHaveLength(1);
    clock.advance(29_999);
    expect(await d.deliverDue()).toEqual({ sent: 0, deferred: 0, failed: 0, superseded: 0 });
    expect(slack.posts).toHaveLength(0);
    clock.advance(1);
    expect(await d.deliverDue()).toEqual({ sent: 2, deferred: 0, failed: 0, superseded: 0 });
    expect(slack.posts.map((p) => p.deliveryId).sort()).toHaveLength(2);
  });

  it('marks an entry failed on a permanent error, reports it, and still delivers to the other destinations', async () => {
    const doomed = postDelivery(update('u1'), slackChannel, clock.now());
    const fine = postDelivery(update('u1'), discordChannel, clock.now());
    await write(update('u1'), doomed, fine);
    slack.failNext('post', new ChatError('forbidden', 'not_in_channel'));

    expect(await deliverer().deliverDue()).toEqual({ sent: 1, deferred: 0, failed: 1, superseded: 0 });
    expect(await store.outbox.get(doomed.id)).toMatchObject({ status: 'failed', lastError: 'not_in_channel' });
    expect(permanentFailures.map((f) => [f.delivery.id, f.error.message])).toEqual([[doomed.id, 'not_in_channel']]);
    expect(discord.posts).toHaveLength(1);
  });

  it('retries transient errors with exponential backoff and gives up after the last attempt', async () => {
    const entry = postDelivery(update('u1'), slackChannel, clock.now());
    await write(update('u1'), entry);
    slack.failNext('post', new Error('socket hang up'), 3);
    const d = deliverer({ maxAttempts: 3 });

    const retryTimes: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      await d.deliverDue();
      const stored = (await store.outbox.get(entry.id))!;
      retryTimes.push(stored.nextAttemptAt - clock.now());
      clock.set(stored.nextAttemptAt);
    }
    expect(retryTimes.slice(0, 2)).toEqual([1_000, 2_000]);
    expect(await store.outbox.get(entry.id)).toMatchObject({ status: 'failed', attempts: 3 });
    expect(permanentFailures[0]!.error.message).toMatch(/gave up after 3 attempts: socket hang up/);
    expect(slack.posts).toHaveLength(0);
  });

  it('does not post again when the platform took a message but the answer was lost', async () => {
    const entry = postDelivery(update('u1'), slackChannel, clock.now());
    await write(update('u1'), entry);
    slack.acceptThenFail('post', new ChatError('unavailable', 'connection reset'));
    const d = deliverer();

    expect(await d.deliverDue()).toEqual({ sent: 0, deferred: 1, failed: 0, superseded: 0 });
    clock.advance(1_000);
    expect(await d.deliverDue()).toEqual({ sent: 1, deferred: 0, failed: 0, superseded: 0 });
    expect(slack.sendCounts().get(entry.id)).toBe(1);
    expect(slack.findSentCalls).toEqual([{ target: 'C-news', deliveryId: entry.id }]);
    expect((await store.outbox.get(entry.id))?.ref).toEqual(slack.posts[0]!.ref);
  });

  it('after a crash between sending and recording, adopts the message it finds instead of posting twice', async () => {
    const entry = postDelivery(update('u1'), slackChannel, clock.now());
    await write(update('u1'), entry);
    // What a crash leaves: the attempt recorded, the platform holding the message, no ref stored.
    await store.outbox.put({ ...entry, attempts: 1 });
    const sent = await slack.post('C-news', render(update('u1'), entry), { deliveryId: entry.id });

    expect(await deliverer().deliverDue()).toEqual({ sent: 1, deferred: 0, failed: 0, superseded: 0 });
    expect(slack.posts).toHaveLength(1);
    expect((await store.outbox.get(entry.id))?.ref).toEqual(sent);
  });

  it('sends a first attempt without looking for an earlier one', async () => {
    await write(update('u1'), postDelivery(update('u1'), slackChannel, clock.now()));
    await deliverer().deliverDue();
    expect(slack.findSentCalls).toEqual([]);
  });

  it('sends direct messages to the subscriber with the delivery id', async () => {
    const entry = dmDelivery(update('u1'), { platform: 'discord', user: 'user-7' }, clock.now());
    await write(update('u1'), entry);
    await deliverer().deliverDue();
    expect(discord.dms.map((dm) => [dm.target, dm.deliveryId])).toEqual([['user-7', entry.id]]);
  });

  it('fails entries for a platform that has no adapter, and entries missing their channel', async () => {
    const shell = postDelivery(update('u1'), { platform: 'shell', channel: 'tty' }, clock.now());
    const noChannel = postDelivery(update('u1'), { platform: 'slack' }, clock.now());
    await write(update('u1'), shell, noChannel);
    expect(await deliverer().deliverDue()).toEqual({ sent: 0, deferred: 0, failed: 2, superseded: 0 });
    expect(permanentFailures.map((f) => f.error.message).sort()).toEqual(['a post needs a channel', 'no chat adapter for shell']);
  });

  it('waits for an update the pipeline has not written yet', async () => {
    const entry = postDelivery(update('u1'), slackChannel, clock.now());
    await store.outbox.enqueue([entry]);
    const d = deliverer();
    expect(await d.deliverDue()).toEqual({ sent: 0, deferred: 1, failed: 0, superseded: 0 });
    await store.updates.put(update('u1'));
    clock.advance(1_000);
    expect(await d.deliverDue()).toEqual({ sent: 1, deferred: 0, failed: 0, superseded: 0 });
    expect(slack.posts).toHaveLength(1);
  });

  it('stops a round as soon as it may no longer deliver (the replica lost the lead)', async () => {
    for (const id of ['u1', 'u2', 'u3']) await write(update(id), postDelivery(update(id), slackChannel, clock.now()));
    let leading = true;
    const d = createDeliverer({
      store, adapters: { slack }, render, clock, logger: silentLogger(), mayDeliver: () => leading,
    });
    const realPost = slack.post.bind(slack);
    slack.post = async (channel, message, options) => {
      leading = false;
      return realPost(channel, message, options);
    };
    expect(await d.deliverDue()).toEqual({ sent: 1, deferred: 0, failed: 0, superseded: 0 });
    expect(slack.posts).toHaveLength(1);
    leading = true;
    expect(await d.deliverDue()).toEqual({ sent: 1, deferred: 0, failed: 0, superseded: 0 });
  });

  it('shares one round between overlapping calls, so nothing is sent twice', async () => {
    await write(update('u1'), postDelivery(update('u1'), slackChannel, clock.now()));
    const d = deliverer();
    const [first, second] = await Promise.all([d.deliverDue(), d.deliverDue()]);
    expect(first).toEqual(second);
    expect(slack.posts).toHaveLength(1);
  });
});
