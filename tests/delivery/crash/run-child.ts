// Starts a crash-test child process and, optionally, kills it with SIGKILL at a chosen moment.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

export interface ChildRun {
  /** The process was killed before it finished its work. */
  killed: boolean;
  exitCode: number | null;
  stderr: string;
}

/**
 * Runs the child; `killAfter` sees each stdout line ("ready", "progress N", "done") and returns a
 * delay in ms to kill the process that long after that line, or undefined to keep waiting.
 */
export function runCrashChild(args: string[], killAfter?: (line: string) => number | undefined): Promise<ChildRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let buffered = '';
  let timer: NodeJS.Timeout | undefined;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const delay = timer || !killAfter ? undefined : killAfter(line);
      if (delay !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), delay);
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', exitCode, stderr });
    });
  });
}
