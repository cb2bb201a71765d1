// `npm run bench`: runs every bench/*.bench.ts and prints one table of medians and ratios.
// Each file measures its baseline in the same process, so ratios do not depend on the machine.
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchRow } from './bench-types.js';

const here = dirname(fileURLToPath(import.meta.url));

function table(rows: BenchRow[]): string {
  const columns = ['name', 'median', 'baseline', 'ratio', 'target', 'pass', 'note'] as const;
  const cells = rows.map((row) =>
    columns.map((column) => {
      const value = row[column];
      if (column === 'pass') return value === undefined ? '' : value ? 'yes' : 'NO';
      return value === undefined ? '' : String(value);
    }),
  );
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((line) => line[i]!.length)));
  const format = (line: readonly string[]) => `| ${line.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [format(columns), format(widths.map((w) => '-'.repeat(w))), ...cells.map(format)].join('\n');
}

export async function runBenchmarks(argv: string[]): Promise<number> {
  const only = argv.filter((arg) => !arg.startsWith('-'));
  const files = (await readdir(here))
    .filter((name) => name.endsWith('.bench.ts'))
    .filter((name) => only.length === 0 || only.some((wanted) => name.startsWith(wanted)))
    .sort();
  const rows: BenchRow[] = [];
  let failedFiles = 0;
  for (const file of files) {
    process.stderr.write(`running ${file}…\n`);
    try {
      const module = (await import(pathToFileURL(join(here, file)).href)) as { run(): Promise<BenchRow[]> };
      rows.push(...(await module.run()));
    } catch (error) {
      failedFiles += 1;
      rows.push({ name: file, median: 'error', note: (error as Error).message.split('\n')[0] ?? '' });
    }
  }
  process.stdout.write(`${table(rows)}\n`);
  const missed = rows.filter((row) => row.pass === false).length;
  process.stdout.write(`${rows.length} measurements, ${missed} targets missed, ${failedFiles} bench files failed\n`);
  return failedFiles > 0 ? 1 : 0;
}
