import { type Logger, pino } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level: string;
  /** Write to this file descriptor instead of stdout (tests use 2). */
  destination?: number;
}

/** The process logger. Services take a child bound to what they serve: `logger.child({ guildId })`. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    { level: options.level, base: { app: 'unified-music' } },
    pino.destination({ dest: options.destination ?? 1, sync: false }),
  );
}

/** A logger that drops everything, for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
