// A small health state the app can log and expose: each component is ok or not (with why),
// and whether this replica leads. The store reports itself through watchStore.
import type { Clock } from '../core/ports.js';

export interface ComponentHealth {
  ok: boolean;
  detail?: string;
  /** When it last changed between ok and not ok. */
  since: number;
}

export interface HealthSnapshot {
  /** Every component is ok. */
  ok: boolean;
  leader: boolean;
  components: Record<string, ComponentHealth>;
}

/** What watchStore needs from a store (ManagedStore from store/keyv-store.ts has it). */
export interface ObservableStore {
  readonly backend: string;
  isAvailable(): boolean;
  onAvailabilityChange(listener: (available: boolean, error?: Error) => void): () => void;
}

export interface HealthState {
  report(component: string, ok: boolean, detail?: string): void;
  setLeader(leader: boolean): void;
  snapshot(): HealthSnapshot;
  /** Follows the store's availability as component "store"; returns an unsubscribe function. */
  watchStore(store: ObservableStore): () => void;
}

export function createHealthState(clock: Clock): HealthState {
  const components = new Map<string, ComponentHealth>();
  let leader = false;

  const report = (component: string, ok: boolean, detail?: string) => {
    const previous = components.get(component);
    const since = previous && previous.ok === ok ? previous.since : clock.now();
    components.set(component, { ok, since, ...(detail ? { detail } : {}) });
  };

  return {
    report,
    setLeader(value) {
      leader = value;
    },
    snapshot() {
      const all = Object.fromEntries([...components].map(([name, health]) => [name, { ...health }]));
      return { ok: [...components.values()].every((health) => health.ok), leader, components: all };
    },
    watchStore(store) {
      const describe = (available: boolean, error?: Error) =>
        available ? `${store.backend} available` : `${store.backend} unavailable${error ? `: ${error.message}` : ''}; polling and delivery paused`;
      report('store', store.isAvailable(), describe(store.isAvailable()));
      return store.onAvailabilityChange((available, error) => report('store', available, describe(available, error)));
    },
  };
}
