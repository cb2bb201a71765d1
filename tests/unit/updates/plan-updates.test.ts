import { describe, expect, it } from 'vitest';
import type { Destination, Subscription, Update } from '../../../src/core/model.js';
import { planUpdates, type PlanInput } from '../../../src/core/updates/plan-updates.js';
import { feed, item, statementMatch, widgetStory } from '../../fixtures/stories.js';

const channels: Destination[] = [
  { platform: 'slack', channel: 'C0STORY' },
  { platform: 'discord', channel: '123456789012345678' },
];
const NOW = Date.parse('2025-03-01T12:00:00Z');

function input(overrides: Partial<PlanInput>): PlanInput {
  return {
    story: widgetStory,
    match: statementMatch('Globex', 'We stopped selling the widgets the day we heard of the fires.'),
    item: item('a1', 'Globex pulls Acme widgets'),
    feed: feed('outlet-a', 'Outlet A'),
    recent: [],
    subscriptions: [],
    channels,
    now: NOW,
    ...overrides,
  };
}

function apply(recent: Update[], updates: Update[]): Update[] {
  const byId = new Map(recent.map((update) => [update.id, update]));
  for (const update of updates) byId.set(update.id, update);
  return [...byId.values()];
}

describe('planning updates', () => {
  it('turns a new statement into one update and one post per story channel', () => {
    const plan = planUpdates(input({}));
    expect(plan.updates).toHaveLength(1);
    expect(plan.updates[0]).toMatchObject({ revision: 0, statements: [{ company: 'Globex' }], reports: [{ source: 'Outlet A' }] });
    expect(plan.deliveries.map((d) => [d.action, d.destination.platform])).toEqual([
      ['post', 'slack'],
      ['post', 'discord'],
    ]);
  });

  it('groups the same statement reported by a second outlet into an edit of the first post', () => {
    const first = planUpdates(input({}));
    const second = planUpdates(
      input({
        recent: first.updates,
        item: item('b7', 'Retailer Globex drops widgets'),
        feed: feed('outlet-b', 'Outlet B'),
        match: statementMatch('Globex', 'We stopped selling the widgets the day we heard of the fires, a spokesperson said.'),
      }),
    );
    expect(second.updates).toHaveLength(1);
    expect(second.updates[0]!.id).toBe(first.updates[0]!.id);
    expect(second.updates[0]!.revision).toBe(1);
    expect(second.updates[0]!.reports.map((r) => r.source)).toEqual(['Outlet A', 'Outlet B']);
    expect(second.deliveries.every((d) => d.action === 'edit' && d.revision === 1)).toBe(true);
  });

  it('keeps a different statement of the same company as a new development', () => {
    const first = planUpdates(input({}));
    const second = planUpdates(
      input({ recent: first.updates, item: item('c3', 'Globex offers refunds'), match: statementMatch('Globex', 'Customers can return any widget for a full refund.', 'confirms') }),
    );
    expect(second.updates[0]!.id).not.toBe(first.updates[0]!.id);
    expect(second.deliveries[0]!.action).toBe('post');
  });

  it('gives one development per company when an item carries two statements', () => {
    const match = statementMatch('Globex', 'We stopped selling them.');
    match.statements.push({ company: 'Initech', quote: 'We never sold Acme widgets.', stance: 'denies' });
    const plan = planUpdates(input({ match }));
    expect(plan.updates.map((u) => u.statements.map((s) => s.company))).toEqual([['Globex'], ['Initech']]);
  });

  it('plans exactly the same deliveries when the same item is processed again after a crash', () => {
    const first = planUpdates(input({}));
    const again = planUpdates(input({ recent: first.updates }));
    expect(again.updates).toEqual([]);
    expect(again.deliveries.map((d) => d.id)).toEqual(first.deliveries.map((d) => d.id));

    const second = planUpdates(input({ recent: first.updates, item: item('b7', 'Other'), feed: feed('outlet-b'), match: statementMatch('Globex', 'We stopped selling the widgets the day we heard of the fires.') }));
    const secondAgain = planUpdates(input({ recent: apply(first.updates, second.updates), item: item('b7', 'Other'), feed: feed('outlet-b'), match: statementMatch('Globex', 'We stopped selling the widgets the day we heard of the fires.') }));
    expect(secondAgain.updates).toEqual([]);
    expect(secondAgain.deliveries.map((d) => d.id)).toEqual(second.deliveries.map((d) => d.id));
  });

  it('groups syndicated copies of coverage without statements by their headline', () => {
    const coverage = { ...statementMatch('Globex', 'x'), statements: [] };
    const first = planUpdates(input({ match: coverage, item: item('n1', 'Regulator orders recall of Acme widgets after battery fires') }));
    const copy = planUpdates(input({ match: coverage, recent: first.updates, feed: feed('wire'), item: item('n2', 'Regulator orders recall of Acme widgets after battery fires - Wire') }));
    const other = planUpdates(input({ match: coverage, recent: first.updates, item: item('n3', 'Initech stores still sell recalled Acme widgets') }));
    expect(copy.updates[0]!.id).toBe(first.updates[0]!.id);
    expect(other.updates[0]!.id).not.toBe(first.updates[0]!.id);
  });

  it('messages subscribers of the responding company: a DM, or a mention in the post on their platform', () => {
    const subscriptions: Subscription[] = [
      { platform: 'slack', userId: 'U1', company: 'Globex', mode: 'dm', createdAt: 0 },
      { platform: 'discord', userId: '42', company: 'Globex', story: 'widget-recall', mode: 'mention', createdAt: 0 },
      { platform: 'slack', userId: 'U2', company: 'Globex', story: 'another-story', mode: 'dm', createdAt: 0 },
      { platform: 'slack', userId: 'U3', company: 'Initech', mode: 'dm', createdAt: 0 },
    ];
    const plan = planUpdates(input({ subscriptions }));
    const dms = plan.deliveries.filter((d) => d.action === 'dm');
    expect(dms.map((d) => d.destination)).toEqual([{ platform: 'slack', user: 'U1' }]);
    const discordPost = plan.deliveries.find((d) => d.action === 'post' && d.destination.platform === 'discord');
    const slackPost = plan.deliveries.find((d) => d.action === 'post' && d.destination.platform === 'slack');
    expect(discordPost!.mentions).toEqual(['42']);
    expect(slackPost!.mentions).toEqual([]);
  });

  it('does not message subscribers about coverage that only names their company', () => {
    const coverage = { ...statementMatch('Globex', 'x'), statements: [] };
    const subscriptions: Subscription[] = [{ platform: 'slack', userId: 'U1', company: 'Globex', mode: 'dm', createdAt: 0 }];
    const plan = planUpdates(input({ match: coverage, subscriptions }));
    expect(plan.deliveries.map((d) => d.action)).toEqual(['post', 'post']);
  });

  it('does not group with developments older than the grouping window', () => {
    const first = planUpdates(input({}));
    const later = planUpdates(input({ recent: first.updates, now: NOW + 30 * 24 * 3600 * 1000, item: item('z9', 'Again'), feed: feed('outlet-z') }));
    expect(later.updates[0]!.id).not.toBe(first.updates[0]!.id);
  });
});
