// Who wants to hear about which company (optionally in one story), indexed by user and by company.
import type { Platform, Subscription } from '../core/model.js';
import type { Subscriptions } from '../core/ports.js';
import type { StoreBackend } from './backend.js';
import { loadIndexed } from './indexed-values.js';

const ANY_STORY = '*';

export function createSubscriptions(backend: StoreBackend, namespace: string): Subscriptions {
  const idOf = (platform: Platform, userId: string, company: string, story?: string) =>
    JSON.stringify([platform, userId, company, story ?? ANY_STORY]);
  const keyOf = (id: string) => `${namespace}:subscription:${id}`;
  const byUser = (platform: Platform, userId: string) => `${namespace}:subscriptions-by-user:${platform}:${userId}`;
  const byCompany = (company: string) => `${namespace}:subscriptions-by-company:${company}`;
  const scoreOf = (subscription: Subscription) => subscription.createdAt;

  return {
    async add(subscription) {
      const id = idOf(subscription.platform, subscription.userId, subscription.company, subscription.story);
      const entry = { member: id, score: subscription.createdAt };
      // Value first: a reader never meets an indexed id whose subscription is still on its way.
      await backend.keyv.set(keyOf(id), subscription);
      await backend.indexes.add(byUser(subscription.platform, subscription.userId), [entry]);
      await backend.indexes.add(byCompany(subscription.company), [entry]);
    },
    async remove(platform, userId, company, story) {
      const id = idOf(platform, userId, company, story);
      const existed = await backend.keyv.delete(keyOf(id));
      await backend.indexes.remove(byUser(platform, userId), [id]);
      await backend.indexes.remove(byCompany(company), [id]);
      return existed;
    },
    async listByUser(platform, userId) {
      const index = byUser(platform, userId);
      return await loadIndexed<Subscription>(backend, index, await backend.indexes.range(index), keyOf, scoreOf);
    },
    async listByCompany(company, story) {
      const index = byCompany(company);
      const all = await loadIndexed<Subscription>(backend, index, await backend.indexes.range(index), keyOf, scoreOf);
      return all.filter((subscription) => subscription.story === undefined || subscription.story === story);
    },
  };
}
