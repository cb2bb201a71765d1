import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level: string;
  /** Human-readable lines (a terminal); JSON otherwise. */
  pretty: boolean;
  /** Where log lines go; stderr by default so shell mode's stdout stays the conversation. */
  destination?: number;
}

export function createLogger(options: LoggerOptions): Logger {
  const fd = options.destination ?? 2;
  if (options.pretty) {
    return pino({
      level: options.level,
      transport: { target: 'pino-pretty', options: { destination: fd, colorize: true, ignore: 'pid,hostname' } },
    });
  }
  return pino({ level: options.level }, pino.destination(fd));
}

/** A logger that drops everything: for tests and pure tools. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
