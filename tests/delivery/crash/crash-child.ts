// A storywatch-like process for crash tests: SQLite store + pipeline + deliverer, sending to the
// fake chat server. Run: node --import tsx crash-child.ts <dataDir> <serverUrl> <mode> <items> <batch>
import { silentLogger } from '../../../src/app/logger.js';
import { createStore } from '../../../src/store/keyv-store.js';
import { HttpChatAdapter } from './http-chat-adapter.js';
import { runWorkload, type WorkloadMode } from './workload.js';

const [dataDir, serverUrl, mode, items, batch] = process.argv.slice(2);
if (!dataDir || !serverUrl || (mode !== 'pipeline' && mode !== 'outbox')) {
  process.stderr.write('usage: crash-child.ts <dataDir> <serverUrl> <pipeline|outbox> <items> <batch>\n');
  process.exit(2);
}

const store = await createStore({ dataDir });
process.stdout.write('ready\n');
await runWorkload(
  {
    store,
    adapters: { slack: new HttpChatAdapter('slack', serverUrl), discord: new HttpChatAdapter('discord', serverUrl) },
    clock: { now: () => Date.now() },
    logger: silentLogger(),
    onProgress: (processed) => process.stdout.write(`progress ${processed}\n`),
  },
  { mode: mode as WorkloadMode, items: Number(items ?? 500), batch: Number(batch ?? 25) },
);
await store.close();
process.stdout.write('done\n');
