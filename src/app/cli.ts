// `storywatch <command>`: run the bot, replay feeds, evaluate the matcher, check conformance, bench.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadAppConfigFromProcess } from '../config/app-config.js';
import { ConfigError, loadFeeds } from '../config/load-config.js';
import { renderJsonSchemas } from '../config/json-schema.js';
import { createMatcher } from '../core/matching/match-item.js';
import { createHttpFeedSource } from '../feeds/fetch-feed.js';
import { recordToJson, recordToText, replayInputs } from './replay.js';

const USAGE = `Usage: storywatch <command> [options]

Commands:
  run [--once] [--shell]                      run the bot (shell mode when no chat tokens are set)
  replay [--story SLUG] [--json] PATH|URL...  parse and match feeds without posting or storing
  eval DIR                                    precision, recall and F1 on a labelled corpus
  conformance DIR                             check feed parsing against feedparser's test feeds
  bench                                       run the benchmarks
  schema [--write]                            check (or write) config/schema/*.json
  check-config                                validate config/ and the environment
  help                                        this text`;

/** Every failure the user can fix ends as one line on stderr and a non-zero exit. */
function fail(message: string, code = 1): number {
  process.stderr.write(`storywatch: ${message}\n`);
  return code;
}

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
      case undefined: {
        const { runBot } = await import('./main.js');
        return await runBot(rest);
      }
      case 'replay':
        return await replayCommand(rest);
      case 'eval': {
        const { main } = await import('../eval/eval-cli.js');
        return await main(rest);
      }
      case 'conformance': {
        const { main } = await import('../feeds/conformance.js');
        return await main(rest);
      }
      case 'bench': {
        const { runBenchmarks } = await import('../../bench/run-bench.js');
        return await runBenchmarks(rest);
      }
      case 'schema':
        return await schemaCommand(rest);
      case 'check-config': {
        const config = loadAppConfigFromProcess({ isTty: false });
        process.stdout.write(
          `config ok: ${config.stories.length} stories (${config.stories.map((s) => s.slug).join(', ')}), ${config.feeds.length} feeds from ${config.feedsFile}, ` +
            `${config.shell ? 'shell mode' : [config.slack ? 'Slack' : '', config.discord ? 'Discord' : ''].filter(Boolean).join(' and ')}\n`,
        );
        return 0;
      }
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return 0;
      default:
        return fail(`unknown command "${command}" (run "storywatch help")`, 2);
    }
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return fail((error as Error).message, 2);
    throw error;
  }
}

async function replayCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { story: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length === 0) return fail('replay needs at least one feed file, directory or URL', 2);
  const config = loadAppConfigFromProcess({ shell: true });
  if (values.story && !config.stories.some((story) => story.slug === values.story)) {
    return fail(`unknown story "${values.story}" (known: ${config.stories.map((s) => s.slug).join(', ')})`);
  }
  const { records, failures } = await replayInputs(positionals, {
    matcher: createMatcher(config.stories),
    ...(values.story ? { storySlug: values.story } : {}),
    // Both the live and the demo feeds: an input that is one of them is matched as that feed (a newsroom's items are statements).
    feeds: [...config.feeds, ...loadFeeds(join(config.configDir, 'feeds.yaml'), config.stories).feeds],
    source: createHttpFeedSource({ userAgent: config.http.userAgent, allowPrivateHosts: config.http.allowPrivateHosts }),
  });
  for (const record of records) process.stdout.write(`${values.json ? recordToJson(record) : recordToText(record)}\n`);
  for (const failure of failures) process.stderr.write(`storywatch: ${failure.input}: ${failure.error}\n`);
  if (!values.json) {
    const matched = records.filter((record) => record.matches.length > 0).length;
    process.stdout.write(`${records.length} items, ${matched} matched, ${failures.length} feeds failed\n`);
  }
  return failures.length > 0 ? 1 : 0;
}

async function schemaCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { write: { type: 'boolean', default: false } } });
  const dir = join('config', 'schema');
  const stale: string[] = [];
  for (const [name, text] of Object.entries(renderJsonSchemas())) {
    const path = join(dir, name);
    const current = await readFile(path, 'utf8').catch(() => '');
    if (current === text) continue;
    if (values.write) {
      await mkdir(dir, { recursive: true });
      await writeFile(path, text);
      process.stdout.write(`wrote ${path}\n`);
    } else {
      stale.push(path);
    }
  }
  if (stale.length > 0) return fail(`stale JSON Schema: ${stale.join(', ')} (run npm run schema)`);
  if (!values.write) process.stdout.write('config/schema is up to date\n');
  return 0;
}
