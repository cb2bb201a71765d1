// One storywatch replica for the two-replica test: Redis store, leader lease, and when it leads,
// the pipeline and deliverer over the fake chat server.
// Run: node --import tsx replica-child.ts <redisUrl> <namespace> <serverUrl> <items> <batch> <holderId>
import { createLeadership } from '../../src/app/leadership.js';
import { silentLogger } from '../../src/app/logger.js';
import { createStore } from '../../src/store/keyv-store.js';
import { HttpChatAdapter } from '../delivery/crash/http-chat-adapter.js';
import { runWorkload } from '../delivery/crash/workload.js';

const LEASE_TTL_MS = 1_500; // the two-replica test expects takeover within this + 1 s
const LEASE_RENEW_MS = 300;

const [redisUrl, namespace, serverUrl, items, batch, holderId] = process.argv.slice(2);
if (!redisUrl || !namespace || !serverUrl || !holderId) {
  process.stderr.write('usage: replica-child.ts <redisUrl> <namespace> <serverUrl> <items> <batch> <holderId>\n');
  process.exit(2);
}

const store = await createStore({ dataDir: '', redisUrl, namespace });
let finished: () => void = () => {};
const allDone = new Promise<void>((resolve) => {
  finished = resolve;
});

const leadership = createLeadership({
  leases: store.leases,
  name: 'leader',
  holderId,
  ttlMs: LEASE_TTL_MS,
  renewEveryMs: LEASE_RENEW_MS,
  logger: silentLogger(),
  async onElected() {
    process.stdout.write('leader\n');
    // Leader duties run in the background; the lease keeps being renewed meanwhile.
    void runWorkload(
      {
        store,
        adapters: { slack: new HttpChatAdapter('slack', serverUrl), discord: new HttpChatAdapter('discord', serverUrl) },
        clock: { now: () => Date.now() },
        logger: silentLogger(),
        onProgress: (processed) => process.stdout.write(`progress ${processed}\n`),
      },
      { mode: 'pipeline', items: Number(items ?? 500), batch: Number(batch ?? 25) },
    ).then(finished, (error: unknown) => {
      process.stderr.write(`workload failed: ${String(error)}\n`);
      process.exit(1);
    });
  },
  async onDemoted() {
    process.stdout.write('demoted\n');
  },
});

process.stdout.write('ready\n');
await leadership.start();
await allDone;
await leadership.stop();
await store.close();
process.stdout.write('done\n');
