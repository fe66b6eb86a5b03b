import { pino } from 'pino';
import type { Logger } from '../../src/core/logger.ts';

/** A real pino logger whose lines a test can read. */
export function captureLogger(): {
  logger: Logger;
  lines: () => { level: number; msg: string; [k: string]: unknown }[];
} {
  const raw: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => raw.push(line) });
  return { logger, lines: () => raw.map((l) => JSON.parse(l)) };
}
