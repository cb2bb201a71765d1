// Timing helpers shared by the bench files: medians of repeated runs, in milliseconds.
import { performance } from 'node:perf_hooks';

export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Median duration of `runs` calls of a synchronous task. */
export function timeSync(runs: number, task: () => unknown): number {
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    task();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

/** Median duration of `runs` sequential calls of an asynchronous task. */
export async function timeAsync(runs: number, task: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    await task();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

export const ms = (value: number): string => `${value.toFixed(3)} ms`;
