// Per-feed polling state (validators, failures, next poll), listed through a small index.
import type { FeedState } from '../core/model.js';
import type { FeedStates } from '../core/ports.js';
import type { StoreBackend } from './backend.js';
import { loadIndexed } from './indexed-values.js';

export function createFeedStates(backend: StoreBackend, namespace: string): FeedStates {
  const keyOf = (feedId: string) => `${namespace}:feed-state:${feedId}`;
  const allFeeds = `${namespace}:feed-states`;
  return {
    async get(feedId) {
      return await backend.keyv.get<FeedState>(keyOf(feedId));
    },
    async set(state) {
      // Value first: a reader never meets an indexed feed whose state is still on its way.
      await backend.keyv.set(keyOf(state.feedId), state);
      await backend.indexes.add(allFeeds, [{ member: state.feedId, score: 0 }]);
    },
    async list() {
      const feedIds = await backend.indexes.range(allFeeds);
      return await loadIndexed<FeedState>(backend, allFeeds, feedIds, keyOf, () => 0);
    },
  };
}
