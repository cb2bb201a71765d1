// A private redis-server for tests that stop and restart Redis (never the shared one).
// It keeps an append-only file in a temp dir, like a production Redis with persistence, so a
// restart keeps the data and "losing nothing" is about what storywatch does during the outage.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { makeTempDir } from '../store/store-test-helpers.js';

export const REDIS_SERVER_AVAILABLE = spawnSync('redis-server', ['--version']).status === 0;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export class ThrowawayRedis {
  private process: ChildProcess | undefined;
  private readonly temp = makeTempDir('storywatch-redis-');

  private constructor(readonly port: number) {}

  static async create(): Promise<ThrowawayRedis> {
    return new ThrowawayRedis(await freePort());
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.temp.dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.process = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 5_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', () => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited: ${output}`));
      });
    });
  }

  /** Kills the server the hard way, as a crash or an OOM kill would. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.process = undefined;
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing answers, as with a hung host. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  async dispose(): Promise<void> {
    this.resume();
    await this.kill();
    this.temp.remove();
  }
}
