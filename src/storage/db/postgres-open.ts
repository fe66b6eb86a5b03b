import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { UserError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';

/** Seconds a client is told to wait (`Retry-After`) while the database is unreachable. */
const RETRY_AFTER_SECONDS = 5;
/** First wait between attempts to reach PostgreSQL at start, doubled each time up to the maximum. */
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 15_000;

/** Connection-level failures: the database is not reachable (or not accepting connections) now. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
]);

/** One plain line for an error: its message (or its parts' messages), never a stack. */
export function plainError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) {
    return [...new Set(err.errors.map((e) => plainError(e)))].join('; ');
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return err.message || (typeof code === 'string' ? code : err.name);
  }
  return String(err);
}

/** Whether an error means "the database cannot be reached" rather than a wrong query. */
export function isUnreachable(err: unknown): boolean {
  if (err instanceof AggregateError) return err.errors.some(isUnreachable);
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(
    err.message,
  );
}

export function databaseUnavailable(starting: boolean): UserError {
  return new UserError(
    'UNAVAILABLE',
    starting
      ? 'The bot is still waiting for its database; try again in a few seconds.'
      : 'The database is unreachable; try again in a few seconds.',
    { retry_after_seconds: RETRY_AFTER_SECONDS, reason: 'database_unreachable' },
  );
}

/**
 * What drizzle is given instead of the pool: the pool's `query` and `connect`, refused with a 503
 * `UserError` until the database is ready, and with connection failures turned into that 503 as
 * well (a query that cannot reach PostgreSQL is "try again", not an internal error). Errors about
 * the query itself pass through unchanged. Its class name contains "Pool", which is how drizzle
 * recognises a pool (it checks out one client per transaction).
 */
export class GatedPool {
  private readonly pool: pg.Pool;
  private readonly isReady: () => boolean;

  constructor(pool: pg.Pool, isReady: () => boolean) {
    this.pool = pool;
    this.isReady = isReady;
  }

  async query(...args: unknown[]): Promise<unknown> {
    if (!this.isReady()) throw databaseUnavailable(true);
    try {
      return await (this.pool.query as (...a: unknown[]) => Promise<unknown>).apply(this.pool, args);
    } catch (err) {
      throw isUnreachable(err) ? databaseUnavailable(false) : err;
    }
  }

  async connect(): Promise<pg.PoolClient> {
    if (!this.isReady()) throw databaseUnavailable(true);
    try {
      return await this.pool.connect();
    } catch (err) {
      throw isUnreachable(err) ? databaseUnavailable(false) : err;
    }
  }
}

export interface RetryingPostgres {
  db: PgDatabase<PgQueryResultHKT>;
  pool: pg.Pool;
  /** Resolves once the database answered and is migrated; never rejects (it keeps trying). */
  ready: Promise<void>;
  isReady(): boolean;
  /** How many attempts were made so far (for the health check's detail). */
  attempts(): number;
  /** Stops trying (for a shutdown before the database came up). */
  stop(): void;
}

/**
 * PostgreSQL that may not be up yet: returns at once, then tries to connect and migrate (`migrate`,
 * on a connection of its own) with backoff (0.5 s doubling to 15 s), logging one plain line per
 * failed attempt, until it succeeds. Meanwhile every query is refused with a 503 `UserError`.
 */
export function openPostgresRetrying(
  url: string,
  logger: Logger,
  migrate: (url: string) => Promise<void>,
): RetryingPostgres {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection emits on the pool; unhandled, that would end the process.
  pool.on('error', (err) => logger.warn({ err: plainError(err) }, 'idle PostgreSQL connection failed'));
  let ready = false;
  let stopped = false;
  let attempt = 0;
  let wake: (() => void) | null = null;
  const db = drizzlePg({ client: new GatedPool(pool, () => ready) as unknown as pg.Pool });

  const run = async (): Promise<void> => {
    while (!stopped) {
      attempt += 1;
      try {
        await migrate(url);
        ready = true;
        logger.info({ kind: 'postgres', attempts: attempt }, 'database ready');
        return;
      } catch (err) {
        if (stopped) return;
        const delay = Math.min(FIRST_BACKOFF_MS * 2 ** (attempt - 1), MAX_BACKOFF_MS);
        const what = isUnreachable(err) ? 'PostgreSQL is not reachable' : 'PostgreSQL could not be prepared';
        logger.warn(
          { attempt, retry_in_ms: delay },
          `${what} (attempt ${attempt}: ${plainError(err)}); trying again in ${(delay / 1000).toFixed(1)} s`,
        );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    }
  };
  return {
    db,
    pool,
    ready: run(),
    isReady: () => ready,
    attempts: () => attempt,
    stop: () => {
      stopped = true;
      (wake as (() => void) | null)?.();
    },
  };
}
