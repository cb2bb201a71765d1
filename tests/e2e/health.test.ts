import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/compose.js';
import { startHealthServer } from '../../src/app/health-server.js';
import { silentLogger } from '../../src/app/logger.js';
import { createShellAdapter } from '../../src/chat/shell/shell-adapter.js';
import { loadAppConfig } from '../../src/config/app-config.js';
import { ManualScheduler } from '../fakes/manual-scheduler.js';

describe('the health endpoint', () => {
  it('reports the store, the last cycle and leadership, and 404s anything else', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'storywatch-health-'));
    const shell = createShellAdapter({ input: new PassThrough(), output: new PassThrough(), interactive: false });
    const app = await createApp(loadAppConfig({ STORYWATCH_DATA_DIR: dataDir }), {
      adapters: [shell],
      logger: silentLogger(),
      scheduler: new ManualScheduler(),
    });
    const server = await startHealthServer(0, '127.0.0.1', () => app.health());
    try {
      await app.start();
      await app.runCycle({ allFeeds: true });
      const response = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { ok: boolean; leader: boolean; components: Record<string, { ok: boolean; detail?: string }> };
      expect(body.ok).toBe(true);
      expect(body.leader).toBe(true);
      expect(body.components.store).toMatchObject({ ok: true, detail: 'sqlite available' });
      expect(body.components.feeds).toMatchObject({ ok: true, detail: '4 polled, 0 failed in the last cycle' });
      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
    } finally {
      await server.close();
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
