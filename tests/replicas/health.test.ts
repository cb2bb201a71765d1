import { describe, expect, it } from 'vitest';
import { createHealthState, type ObservableStore } from '../../src/app/health.js';
import { FakeClock } from '../fakes/fake-clock.js';

class FakeObservableStore implements ObservableStore {
  readonly backend = 'redis';
  available = true;
  private readonly listeners = new Set<(available: boolean, error?: Error) => void>();
  isAvailable() {
    return this.available;
  }
  onAvailabilityChange(listener: (available: boolean, error?: Error) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(available: boolean, error?: Error) {
    this.available = available;
    for (const listener of this.listeners) listener(available, error);
  }
}

describe('the health state', () => {
  it('follows the store going away and coming back, with why and since when', () => {
    const clock = new FakeClock(1_000);
    const health = createHealthState(clock);
    const store = new FakeObservableStore();
    health.watchStore(store);
    expect(health.snapshot()).toEqual({ ok: true, leader: false, components: { store: { ok: true, since: 1_000, detail: 'redis available' } } });

    clock.advance(500);
    store.set(false, new Error('ECONNREFUSED'));
    health.setLeader(true);
    expect(health.snapshot()).toMatchObject({
      ok: false,
      leader: true,
      components: { store: { ok: false, since: 1_500, detail: 'redis unavailable: ECONNREFUSED; polling and delivery paused' } },
    });

    clock.advance(500);
    store.set(true);
    expect(health.snapshot().ok).toBe(true);
    expect(health.snapshot().components.store!.since).toBe(2_000);
  });

  it('keeps the time a component became unhealthy while it stays unhealthy', () => {
    const clock = new FakeClock(0);
    const health = createHealthState(clock);
    health.report('slack', false, 'socket closed');
    clock.advance(100);
    health.report('slack', false, 'still closed');
    expect(health.snapshot().components.slack).toEqual({ ok: false, since: 0, detail: 'still closed' });
  });
});
