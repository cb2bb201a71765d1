// A Scheduler tests drive by hand: nothing runs until tick().
import type { Scheduler } from '../../src/core/ports.js';

interface ManualTask {
  intervalMs: number;
  task: () => Promise<void>;
}

export class ManualScheduler implements Scheduler {
  private readonly tasks = new Map<string, ManualTask>();
  private readonly runs = new Map<string, number>();
  private stops = 0;

  every(name: string, intervalMs: number, task: () => Promise<void>): void {
    if (this.tasks.has(name)) throw new Error(`a task named ${name} is already scheduled`);
    this.tasks.set(name, { intervalMs, task });
  }

  /** Runs the named task, or every task in the order they were scheduled, once; errors reach the caller. */
  async tick(name?: string): Promise<void> {
    if (name !== undefined && !this.tasks.has(name)) throw new Error(`no task named ${name}`);
    for (const [taskName, entry] of this.tasks) {
      if (name !== undefined && taskName !== name) continue;
      this.runs.set(taskName, (this.runs.get(taskName) ?? 0) + 1);
      await entry.task();
    }
  }

  names(): string[] {
    return [...this.tasks.keys()];
  }

  intervalOf(name: string): number | undefined {
    return this.tasks.get(name)?.intervalMs;
  }

  /** Runs of a task so far, counted across stop and schedule-again. */
  runsOf(name: string): number {
    return this.runs.get(name) ?? 0;
  }

  stopCount(): number {
    return this.stops;
  }

  /** Like node-cron's: every task is removed; the same names may be scheduled again (a new leader term). */
  async stop(): Promise<void> {
    this.stops += 1;
    this.tasks.clear();
  }
}
