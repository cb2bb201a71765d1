// `storywatch run`: start the bot with the chat platforms the environment configures, or the shell.
import { parseArgs } from 'node:util';
import { loadAppConfigFromProcess } from '../config/app-config.js';
import { createShellAdapter, type ShellAdapter } from '../chat/shell/shell-adapter.js';
import { createApp, type CycleReport } from './compose.js';
import { startHealthServer, type HealthServer } from './health-server.js';
import { createLogger } from './logger.js';

function summary(report: CycleReport): string {
  return (
    `one poll cycle: ${report.feedsPolled} feeds polled (${report.feedsFailed} failed), ${report.newItems} new items, ` +
    `${report.updates} updates, ${report.delivered} messages posted`
  );
}

export async function runBot(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { once: { type: 'boolean', default: false }, shell: { type: 'boolean', default: false } },
  });
  const config = loadAppConfigFromProcess({ shell: values.shell, isTty: process.stderr.isTTY === true });
  const logger = createLogger({ level: config.logLevel, pretty: config.logPretty });

  let shell: ShellAdapter | undefined;
  if (config.shell) {
    shell = createShellAdapter({ input: process.stdin, output: process.stdout, interactive: !values.once });
    process.stdout.write(
      `storywatch (shell mode: no chat tokens set) watching ${config.stories.map((s) => s.slug).join(', ')} ` +
        `on ${config.feeds.length} feeds from ${config.feedsFile}\n`,
    );
  }

  // Without the shell, createApp builds the Slack and Discord adapters the config asks for.
  const app = await createApp(config, { ...(shell ? { adapters: [shell] } : {}), logger });

  if (values.once) {
    try {
      const report = await app.runOnce();
      process.stdout.write(`\n${summary(report)}\n`);
      return 0;
    } catch (error) {
      process.stderr.write(`storywatch: ${(error as Error).message}\n`);
      return 1;
    } finally {
      await app.stop();
    }
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= app.stop());
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  if (shell) {
    // Post what the snapshots hold straight away, then open the prompt and keep polling on the schedule.
    const report = await app.runCycle({ allFeeds: true });
    process.stdout.write(`\n${summary(report)}\n`);
    await app.start();
    await shell.closed;
    await stop();
    return 0;
  }

  let health: HealthServer | undefined;
  try {
    if (config.health) {
      health = await startHealthServer(config.health.port, config.health.host, () => app.health());
      logger.info({ port: health.port }, 'health endpoint at /healthz');
    }
    await app.start();
  } catch (error) {
    // A rejected token or a port in use: one line for the person starting the bot, not a stack trace.
    await stop();
    await health?.close();
    process.stderr.write(`storywatch: could not start: ${(error as Error).message.split('\n')[0]}\n`);
    return 1;
  }
  logger.info({ platforms: app.adapters.map((a) => a.platform) }, 'storywatch is running');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await stop();
  await health?.close();
  return 0;
}
