// The one place that reads the environment. Everything else receives an AppConfig.
import { resolve } from 'node:path';
import { z } from 'zod';
import type { Feed, Story } from '../core/model.js';
import { feedUserAgent } from '../feeds/fetch-feed.js';
import { ConfigError, diskFiles, loadFeeds, loadStories, type ConfigFiles } from './load-config.js';

export interface SlackConfig {
  botToken: string;
  appToken?: string;
  signingSecret?: string;
  port: number;
  apiUrl?: string;
  adminUserIds: string[];
}

export interface DiscordConfig {
  token: string;
  applicationId: string;
  guildId?: string;
  apiUrl?: string;
}

export interface AppConfig {
  configDir: string;
  stories: Story[];
  feeds: Feed[];
  feedsFile: string;
  /** Shell mode: no chat tokens, a terminal adapter and (by default) the offline snapshots. */
  shell: boolean;
  dataDir: string;
  redisUrl?: string;
  /** Prefix of every key, so several bots can share one Redis. */
  redisNamespace: string;
  seenTtlDays: number;
  logLevel: string;
  logPretty: boolean;
  slack?: SlackConfig;
  discord?: DiscordConfig;
  http: {
    userAgent: string;
    /** Hosts/addresses allowed although private (the SSRF guard refuses them otherwise). */
    allowPrivateHosts: string[];
    allowFiles: boolean;
  };
  /** How often the scheduler looks for due feeds and deliveries. */
  tickSeconds: number;
  /** Replica id for leases; defaults to host and pid. */
  instanceId?: string;
  /** How long the leader's lease lasts unrenewed: a dead leader is replaced within about 4/3 of it. */
  leaseTtlSeconds: number;
  /** Serve GET /healthz here when set. */
  health?: { port: number; host: string };
}

const list = z
  .string()
  .optional()
  .transform((value) => (value ?? '').split(',').map((part) => part.trim()).filter(Boolean));

const envSchema = z.object({
  STORYWATCH_CONFIG_DIR: z.string().default('config'),
  STORYWATCH_FEEDS_FILE: z.string().optional(),
  STORYWATCH_DATA_DIR: z.string().default('data'),
  STORYWATCH_SEEN_TTL_DAYS: z.coerce.number().int().positive().default(90),
  STORYWATCH_TICK_SECONDS: z.coerce.number().int('use whole seconds').positive().default(30),
  STORYWATCH_ALLOW_PRIVATE_HOSTS: list,
  STORYWATCH_INSTANCE_ID: z.string().optional(),
  STORYWATCH_LEASE_TTL_SECONDS: z.coerce.number().min(1).default(15),
  STORYWATCH_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  STORYWATCH_HEALTH_HOST: z.string().default('0.0.0.0'),
  STORYWATCH_REDIS_NAMESPACE: z.string().regex(/^[\w.-]+$/, 'letters, digits, ".", "-" and "_" only').default('storywatch'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'a bot token starts with xoxb-').optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'an app-level token starts with xapp-').optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_API_URL: z.url().optional(),
  SLACK_ADMIN_USER_IDS: list,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DISCORD_TOKEN: z.string().optional(),
  DISCORD_APPLICATION_ID: z.string().regex(/^\d+$/, 'the numeric application id').optional(),
  DISCORD_GUILD_ID: z.string().regex(/^\d+$/, 'the numeric server (guild) id').optional(),
  DISCORD_API_URL: z.url().optional(),
});

export type Env = Record<string, string | undefined>;

export interface LoadOptions {
  /** Force the terminal adapter even when tokens are set. */
  shell?: boolean;
  isTty?: boolean;
  files?: ConfigFiles;
}

export function loadAppConfig(env: Env, options: LoadOptions = {}): AppConfig {
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== '')),
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`environment: ${issue.path.join('.')}: ${issue.message} (see .env.example)`);
  }
  const e = parsed.data;

  const slack = slackConfig(e);
  const discord = discordConfig(e);
  const shell = options.shell === true || (!slack && !discord);

  const configDir = resolve(e.STORYWATCH_CONFIG_DIR);
  const files = options.files ?? diskFiles;
  const stories = loadStories(resolve(configDir, 'stories'), files);
  // With no chat platform the bot runs offline on the bundled snapshots unless told otherwise.
  const feedsFile = resolve(e.STORYWATCH_FEEDS_FILE ?? resolve(configDir, shell ? 'demo/feeds.yaml' : 'feeds.yaml'));
  const feedsConfig = loadFeeds(feedsFile, stories, files);
  const contact = feedsConfig.contact ?? 'https://github.com/storywatch/storywatch';

  return {
    configDir,
    stories,
    feeds: feedsConfig.feeds,
    feedsFile,
    shell,
    dataDir: resolve(e.STORYWATCH_DATA_DIR),
    ...(e.REDIS_URL ? { redisUrl: e.REDIS_URL } : {}),
    redisNamespace: e.STORYWATCH_REDIS_NAMESPACE,
    seenTtlDays: e.STORYWATCH_SEEN_TTL_DAYS,
    // The shell is a conversation: only warnings interrupt it unless asked for more.
    logLevel: e.LOG_LEVEL ?? (shell ? 'warn' : 'info'),
    logPretty: e.LOG_FORMAT ? e.LOG_FORMAT === 'pretty' : options.isTty === true,
    ...(slack && !options.shell ? { slack } : {}),
    ...(discord && !options.shell ? { discord } : {}),
    http: {
      userAgent: feedUserAgent('0.1', contact),
      allowPrivateHosts: e.STORYWATCH_ALLOW_PRIVATE_HOSTS,
      allowFiles: shell || feedsConfig.feeds.some((feed) => !/^https?:/i.test(feed.url)),
    },
    tickSeconds: e.STORYWATCH_TICK_SECONDS,
    leaseTtlSeconds: e.STORYWATCH_LEASE_TTL_SECONDS,
    ...(e.STORYWATCH_INSTANCE_ID ? { instanceId: e.STORYWATCH_INSTANCE_ID } : {}),
    ...(e.STORYWATCH_HEALTH_PORT !== undefined ? { health: { port: e.STORYWATCH_HEALTH_PORT, host: e.STORYWATCH_HEALTH_HOST } } : {}),
  };
}

type ParsedEnv = z.infer<typeof envSchema>;

function slackConfig(e: ParsedEnv): SlackConfig | undefined {
  if (!e.SLACK_BOT_TOKEN) {
    if (e.SLACK_APP_TOKEN || e.SLACK_SIGNING_SECRET) {
      throw new ConfigError('environment: SLACK_BOT_TOKEN is missing (Slack needs the xoxb- bot token as well)');
    }
    return undefined;
  }
  if (!e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
    throw new ConfigError(
      'environment: set SLACK_APP_TOKEN (Socket Mode, no public URL) or SLACK_SIGNING_SECRET (HTTP mode on PORT)',
    );
  }
  return {
    botToken: e.SLACK_BOT_TOKEN,
    ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
    ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
    port: e.PORT,
    ...(e.SLACK_API_URL ? { apiUrl: e.SLACK_API_URL } : {}),
    adminUserIds: e.SLACK_ADMIN_USER_IDS,
  };
}

function discordConfig(e: ParsedEnv): DiscordConfig | undefined {
  if (!e.DISCORD_TOKEN) return undefined;
  if (!e.DISCORD_APPLICATION_ID) {
    throw new ConfigError('environment: DISCORD_APPLICATION_ID is missing (Developer Portal → General Information)');
  }
  return {
    token: e.DISCORD_TOKEN,
    applicationId: e.DISCORD_APPLICATION_ID,
    ...(e.DISCORD_GUILD_ID ? { guildId: e.DISCORD_GUILD_ID } : {}),
    ...(e.DISCORD_API_URL ? { apiUrl: e.DISCORD_API_URL } : {}),
  };
}

/** loadAppConfig over this process's environment: the one read of process.env. */
export function loadAppConfigFromProcess(options: LoadOptions = {}): AppConfig {
  return loadAppConfig(process.env, options);
}
