// Bolt and its Web API client log through @slack/logger's interface; this sends those lines to pino.
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from 'pino';

export function slackLoggerFrom(logger: Logger): SlackLogger {
  const log = logger.child({ component: 'slack' });
  const write = (level: 'debug' | 'info' | 'warn' | 'error', parts: unknown[]) => {
    const error = parts.find((part): part is Error => part instanceof Error);
    const text = parts
      .filter((part) => part !== error)
      .map((part) => (typeof part === 'string' ? part : safeJson(part)))
      .join(' ');
    if (error !== undefined) log[level]({ err: error }, text);
    else log[level](text);
  };
  return {
    debug: (...parts: unknown[]) => write('debug', parts),
    info: (...parts: unknown[]) => write('info', parts),
    warn: (...parts: unknown[]) => write('warn', parts),
    error: (...parts: unknown[]) => write('error', parts),
    // pino's level (from LOG_LEVEL) rules; Bolt asking for INFO must not override it.
    setLevel: () => undefined,
    getLevel: () => pinoToSlackLevel(log.level),
    setName: () => undefined,
  };
}

function pinoToSlackLevel(level: string): LogLevel {
  if (level === 'trace' || level === 'debug') return LogLevel.DEBUG;
  if (level === 'info') return LogLevel.INFO;
  if (level === 'warn') return LogLevel.WARN;
  return LogLevel.ERROR;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
