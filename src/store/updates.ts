// Updates (developments of a story), listed newest first per story through a sorted index.
import type { Update } from '../core/model.js';
import type { Updates } from '../core/ports.js';
import type { StoreBackend } from './backend.js';
import { loadIndexed } from './indexed-values.js';

const DEFAULT_LIST_LIMIT = 20;

export function createUpdates(backend: StoreBackend, namespace: string): Updates {
  const keyOf = (id: string) => `${namespace}:update:${id}`;
  const byStory = (story: string) => `${namespace}:updates-by-story:${story}`;
  return {
    async get(id) {
      return await backend.keyv.get<Update>(keyOf(id));
    },
    async put(update) {
      // Value first: a reader never meets an indexed id whose update is still on its way.
      await backend.keyv.set(keyOf(update.id), update);
      await backend.indexes.add(byStory(update.story), [{ member: update.id, score: update.createdAt }]);
    },
    async listByStory(story, limit = DEFAULT_LIST_LIMIT) {
      const index = byStory(story);
      const ids = await backend.indexes.range(index, { descending: true, limit });
      return await loadIndexed<Update>(backend, index, ids, keyOf, (update) => update.createdAt);
    },
  };
}
