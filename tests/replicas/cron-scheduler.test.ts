import { describe, expect, it } from 'vitest';
import { createCronScheduler, createLeaseRunCoordinator, cronExpressionForInterval, planSchedule } from '../../src/app/cron-scheduler.js';
import { silentLogger } from '../../src/app/logger.js';
import { createStore } from '../../src/store/keyv-store.js';
import { ManualScheduler } from '../fakes/manual-scheduler.js';
import { makeTempDir } from '../store/store-test-helpers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('cron expressions for intervals', () => {
  it('aligns seconds, minutes, hours and a day to the clock', () => {
    expect(cronExpressionForInterval(5_000)).toBe('*/5 * * * * *');
    expect(cronExpressionForInterval(60_000)).toBe('0 */1 * * * *');
    expect(cronExpressionForInterval(15 * 60_000)).toBe('0 */15 * * * *');
    expect(cronExpressionForInterval(6 * 3_600_000)).toBe('0 0 */6 * * *');
    expect(cronExpressionForInterval(24 * 3_600_000)).toBe('0 0 0 * * *');
  });

  it('refuses intervals cron cannot keep evenly', () => {
    expect(() => cronExpressionForInterval(7 * 60_000)).toThrow(RangeError);
    expect(() => cronExpressionForInterval(1_500)).toThrow(RangeError);
  });

  it('runs other whole-second intervals on the seconds that start a slot, and refuses fractions', () => {
    const plan = planSchedule(45_000);
    expect(plan.expression).toBe('* * * * * *');
    expect(plan.isSlotStart!(Date.UTC(2026, 0, 1, 0, 0, 45))).toBe(true);
    expect(plan.isSlotStart!(Date.UTC(2026, 0, 1, 0, 1, 0))).toBe(false);
    expect(plan.isSlotStart!(Date.UTC(2026, 0, 1, 0, 1, 30, 400))).toBe(true);
    expect(planSchedule(60_000)).toEqual({ expression: '0 */1 * * * *' });
    expect(() => planSchedule(1_500)).toThrow(/whole seconds/);
  });
});

describe('the node-cron scheduler', () => {
  it('runs a named task every second without overlapping a slow run, and waits for it on stop', async () => {
    const scheduler = createCronScheduler({ logger: silentLogger() });
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    scheduler.every('slow', 1_000, async () => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      await sleep(1_300);
      runs += 1;
      active -= 1;
    });
    expect(() => scheduler.every('slow', 1_000, async () => {})).toThrow(/already scheduled/);
    await sleep(2_600);
    await scheduler.stop();
    expect(maxActive).toBe(1);
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(active).toBe(0);
  });

  it('runs each slot on one replica only when replicas share a run coordinator', async () => {
    const temp = makeTempDir();
    const store = await createStore({ dataDir: temp.dir });
    const seconds: Record<string, number[]> = { a: [], b: [] };
    const schedulers = ['a', 'b'].map((id) => {
      const scheduler = createCronScheduler({ logger: silentLogger(), runCoordinator: createLeaseRunCoordinator(store.leases, id) });
      scheduler.every('deliver', 1_000, async () => {
        seconds[id]!.push(Math.floor(Date.now() / 1_000));
      });
      return scheduler;
    });
    try {
      await sleep(3_200);
    } finally {
      for (const scheduler of schedulers) await scheduler.stop();
      await store.close();
      temp.remove();
    }
    const all = [...seconds.a!, ...seconds.b!];
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('the manual scheduler', () => {
  it('runs tasks only when ticked, by name or all in order, none after stop until scheduled again', async () => {
    const scheduler = new ManualScheduler();
    const ran: string[] = [];
    scheduler.every('poll', 60_000, async () => { ran.push('poll'); });
    scheduler.every('deliver', 5_000, async () => { ran.push('deliver'); });
    expect(ran).toEqual([]);
    await scheduler.tick();
    await scheduler.tick('deliver');
    expect(ran).toEqual(['poll', 'deliver', 'deliver']);
    expect(scheduler.runsOf('deliver')).toBe(2);
    expect(scheduler.intervalOf('poll')).toBe(60_000);
    await expect(scheduler.tick('missing')).rejects.toThrow(/no task named missing/);
    await scheduler.stop();
    await scheduler.tick();
    expect(ran).toHaveLength(3);
    // A new leader term schedules the same names again.
    scheduler.every('poll', 60_000, async () => { ran.push('poll again'); });
    await scheduler.tick();
    expect(ran.at(-1)).toBe('poll again');
    expect(scheduler.runsOf('poll')).toBe(2);
    expect(scheduler.stopCount()).toBe(1);
  });
});
