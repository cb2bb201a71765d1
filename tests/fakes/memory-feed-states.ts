// FeedStates in memory, recording every write, for tests of the feed poller.
import type { FeedState } from '../../src/core/model.js';
import type { FeedStates } from '../../src/core/ports.js';

export class FakeFeedStates implements FeedStates {
  readonly states = new Map<string, FeedState>();
  /** Every state passed to set(), in order. */
  readonly writes: FeedState[] = [];

  constructor(initial: FeedState[] = []) {
    for (const state of initial) this.states.set(state.feedId, structuredClone(state));
  }

  async get(feedId: string): Promise<FeedState | undefined> {
    const state = this.states.get(feedId);
    return state ? structuredClone(state) : undefined;
  }

  async set(state: FeedState): Promise<void> {
    this.writes.push(structuredClone(state));
    this.states.set(state.feedId, structuredClone(state));
  }

  async list(): Promise<FeedState[]> {
    return [...this.states.values()].map((state) => structuredClone(state));
  }
}
