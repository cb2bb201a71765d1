// Runs async tasks with a cap on how many run at once overall and per key (a feed's host),
// so one slow publisher cannot take every slot and no publisher gets more than a few requests.

export interface TaskLimiter {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Tasks running now. */
  active(): number;
}

interface Waiting {
  key: string;
  start: () => void;
}

export function createTaskLimiter(limits: { concurrency: number; perKey: number }): TaskLimiter {
  const concurrency = Math.max(1, Math.floor(limits.concurrency));
  const perKey = Math.max(1, Math.floor(limits.perKey));
  const queue: Waiting[] = [];
  const runningByKey = new Map<string, number>();
  let running = 0;

  function pump(): void {
    for (let i = 0; i < queue.length && running < concurrency; ) {
      const waiting = queue[i] as Waiting;
      if ((runningByKey.get(waiting.key) ?? 0) >= perKey) {
        i += 1;
        continue;
      }
      queue.splice(i, 1);
      running += 1;
      runningByKey.set(waiting.key, (runningByKey.get(waiting.key) ?? 0) + 1);
      waiting.start();
    }
  }

  function release(key: string): void {
    running -= 1;
    const left = (runningByKey.get(key) ?? 1) - 1;
    if (left === 0) runningByKey.delete(key);
    else runningByKey.set(key, left);
    pump();
  }

  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({
          key,
          start: () => {
            Promise.resolve()
              .then(task)
              .then(resolve, reject)
              .finally(() => release(key));
          },
        });
        pump();
      });
    },
    active: () => running,
  };
}
