// Starts a crash-test child process and, optionally, kills it with SIGKILL some time after it is ready.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

export interface ChildRun {
  /** The process was killed before it finished its work. */
  killed: boolean;
  exitCode: number | null;
  stderr: string;
}

export function runCrashChild(args: string[], killAfterReadyMs?: number): Promise<ChildRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let timer: NodeJS.Timeout | undefined;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  child.stdout.on('data', (chunk: Buffer) => {
    if (killAfterReadyMs !== undefined && chunk.toString('utf8').includes('ready') && !timer) {
      timer = setTimeout(() => child.kill('SIGKILL'), killAfterReadyMs);
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
