// A Scheduler tests drive by hand: nothing runs until tick().
import type { Scheduler } from '../../src/core/ports.js';

interface ManualTask {
  intervalMs: number;
  task: () => Promise<void>;
  runs: number;
}

export class ManualScheduler implements Scheduler {
  private readonly tasks = new Map<string, ManualTask>();
  private stopped = false;

  every(name: string, intervalMs: number, task: () => Promise<void>): void {
    if (this.tasks.has(name)) throw new Error(`a task named ${name} is already scheduled`);
    this.tasks.set(name, { intervalMs, task, runs: 0 });
  }

  /** Runs the named task, or every task in the order they were scheduled, once; errors reach the caller. */
  async tick(name?: string): Promise<void> {
    if (this.stopped) return;
    if (name !== undefined && !this.tasks.has(name)) throw new Error(`no task named ${name}`);
    for (const [taskName, entry] of this.tasks) {
      if (name !== undefined && taskName !== name) continue;
      entry.runs += 1;
      await entry.task();
    }
  }

  names(): string[] {
    return [...this.tasks.keys()];
  }

  intervalOf(name: string): number | undefined {
    return this.tasks.get(name)?.intervalMs;
  }

  runsOf(name: string): number {
    return this.tasks.get(name)?.runs ?? 0;
  }

  isStopped(): boolean {
    return this.stopped;
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }
}
