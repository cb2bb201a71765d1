// The Scheduler port on node-cron 4: fixed task names, no overlapping runs, and with several
// replicas a run coordinator so each scheduled slot runs on one replica only.
import cron, { type RunCoordinator, type ScheduledTask, type TaskContext } from 'node-cron';
import type { Logger } from 'pino';
import type { Leases, Scheduler } from '../core/ports.js';

export interface CronSchedulerOptions {
  logger: Logger;
  /** With replicas: decides which one runs a slot (see createLeaseRunCoordinator). */
  runCoordinator?: RunCoordinator;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A six-field cron expression (with seconds) that fires every intervalMs, aligned to the clock. */
export function cronExpressionForInterval(intervalMs: number): string {
  const divides = (unit: number, whole: number) => intervalMs % unit === 0 && whole % intervalMs === 0;
  if (divides(SECOND, MINUTE) && intervalMs < MINUTE) return `*/${intervalMs / SECOND} * * * * *`;
  if (divides(MINUTE, HOUR) && intervalMs < HOUR) return `0 */${intervalMs / MINUTE} * * * *`;
  if (divides(HOUR, DAY) && intervalMs < DAY) return `0 0 */${intervalMs / HOUR} * * *`;
  if (intervalMs === DAY) return '0 0 0 * * *';
  throw new RangeError(`cron cannot fire every ${intervalMs} ms evenly`);
}

interface SchedulePlan {
  expression: string;
  /** For intervals cron cannot express (45 s, 7 min): fire every second, run on the seconds that start a slot. */
  isSlotStart?: (at: number) => boolean;
}

export function planSchedule(intervalMs: number): SchedulePlan {
  try {
    return { expression: cronExpressionForInterval(intervalMs) };
  } catch {
    if (!Number.isInteger(intervalMs / SECOND) || intervalMs < SECOND) {
      throw new RangeError(`cannot schedule every ${intervalMs} ms: intervals are whole seconds`);
    }
    const seconds = intervalMs / SECOND;
    return { expression: '* * * * * *', isSlotStart: (at) => Math.floor(at / SECOND) % seconds === 0 };
  }
}

/** node-cron's coordinator keys are "name:ISO slot time"; seconds that start no slot are skipped without asking. */
function gatedCoordinator(inner: RunCoordinator, name: string, isSlotStart: (at: number) => boolean): RunCoordinator {
  return {
    shouldRun: (key, ttlMs) => (isSlotStart(Date.parse(key.slice(name.length + 1))) ? inner.shouldRun(key, ttlMs) : false),
    ...(inner.onComplete ? { onComplete: inner.onComplete.bind(inner) } : {}),
  };
}

/**
 * node-cron's distributed runs, decided through the store's leases: the first replica to claim
 * "task@slot" runs it. The claim is not released, so a replica whose clock is late skips the slot too.
 */
export function createLeaseRunCoordinator(leases: Leases, holderId: string): RunCoordinator {
  return {
    shouldRun: (key, ttlMs) => leases.acquire(`cron-run:${key}`, holderId, ttlMs),
  };
}

export function createCronScheduler(options: CronSchedulerOptions): Scheduler {
  const tasks = new Map<string, ScheduledTask>();
  const running = new Set<Promise<void>>();
  const cronLogger = {
    info: (message: string) => options.logger.debug({ source: 'node-cron' }, message),
    warn: (message: string) => options.logger.warn({ source: 'node-cron' }, message),
    error: (message: string | Error, err?: Error) => options.logger.error({ source: 'node-cron', err: err ?? message }, String(message)),
    debug: (message: string | Error) => options.logger.debug({ source: 'node-cron' }, String(message)),
  };

  return {
    every(name, intervalMs, task) {
      if (tasks.has(name)) throw new Error(`a task named ${name} is already scheduled`);
      const plan = planSchedule(intervalMs);
      const run = async (context: TaskContext) => {
        if (plan.isSlotStart && !plan.isSlotStart(context.date.getTime())) return;
        const execution = task().catch((error: unknown) => options.logger.error({ err: error, task: name }, 'scheduled task failed'));
        running.add(execution);
        await execution;
        running.delete(execution);
      };
      const coordinator =
        options.runCoordinator && plan.isSlotStart ? gatedCoordinator(options.runCoordinator, name, plan.isSlotStart) : options.runCoordinator;
      tasks.set(
        name,
        cron.schedule(plan.expression, run, {
          name,
          noOverlap: true,
          logger: cronLogger,
          ...(coordinator ? { distributed: true, runCoordinator: coordinator, distributedLease: Math.max(intervalMs, 5 * SECOND) } : {}),
        }),
      );
    },
    async stop() {
      for (const task of tasks.values()) await task.destroy();
      tasks.clear();
      // Let runs that already started finish, so the app closes the store after them.
      await Promise.all([...running]);
    },
  };
}
