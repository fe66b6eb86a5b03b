import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { Logger } from '../../core/logger.ts';
import { openPostgresRetrying, plainError } from './postgres-open.ts';

/** The database the repositories take: the same type whichever driver is behind it. */
export type Database = PgDatabase<PgQueryResultHKT>;

export interface DatabaseHandle {
  db: Database;
  kind: 'postgres' | 'pglite';
  /**
   * Resolves once the database is reachable and migrated (at once, unless opened with `retry`; then
   * when it came up, or when the handle was closed before it did).
   */
  ready: Promise<void>;
  /** Resolves when the database answers a query; throws otherwise. */
  ping(): Promise<void>;
  /** Closes the pool or the embedded database. Safe to call more than once. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL URL. Unset: an embedded PGlite database. */
  url?: string | undefined;
  /** PGlite's data directory, created if missing; `memory://` keeps everything in memory. */
  pgliteDataDir?: string | undefined;
  /**
   * PostgreSQL only: return at once and keep trying to reach and migrate the database in the
   * background (one plain log line per failed attempt); queries are refused with a 503 `UserError`
   * until it is ready. Without it, opening waits and throws when the database cannot be reached.
   */
  retry?: boolean;
  logger: Logger;
}

/** drizzle-kit's output folder, found from this file so that the process's cwd does not matter. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../drizzle/', import.meta.url));

/**
 * Key of the session-level advisory lock held while migrating on PostgreSQL. Any fixed number works
 * as long as nothing else on the same database uses it.
 */
const MIGRATION_LOCK_KEY = 0x756d_6d67; // "ummg"

/**
 * Opens the database and applies pending migrations before returning. With `url`, a `pg` pool on
 * PostgreSQL; several instances may start at once on one database, since migrations run under an
 * advisory lock. Without `url`, an embedded PGlite database in `pgliteDataDir` (default in memory).
 *
 * @throws the driver's error when the database cannot be reached or a migration fails; nothing is left open.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const logger = options.logger.child({ component: 'db' });
  if (options.url && options.retry) return openPostgresInBackground(options.url, logger);
  return options.url
    ? openPostgres(options.url, logger)
    : openPglite(options.pgliteDataDir ?? 'memory://', logger);
}

function openPostgresInBackground(url: string, logger: Logger): DatabaseHandle {
  const pg$ = openPostgresRetrying(url, logger, async (target) => {
    const client = new pg.Client({ connectionString: target, connectionTimeoutMillis: 5_000 });
    // A connection lost midway emits 'error' on the client; the failed query reports it.
    client.on('error', () => {});
    try {
      await client.connect();
      await migrateOn(client, logger);
    } finally {
      await client.end().catch(() => undefined);
    }
  });
  let closing: Promise<void> | undefined;
  return {
    db: pg$.db,
    kind: 'postgres',
    ready: pg$.ready,
    ping: async () => {
      if (!pg$.isReady()) {
        throw new Error(`not reachable yet (${pg$.attempts()} attempts so far; still trying)`);
      }
      await pg$.db.execute(sql`select 1`);
    },
    close: () => {
      pg$.stop();
      closing ??= pg$.pool.end();
      return closing;
    },
  };
}

async function openPostgres(url: string, logger: Logger): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client losing its connection emits on the pool; unhandled, that would end the process.
  pool.on('error', (err) => logger.warn({ err: plainError(err) }, 'idle PostgreSQL connection failed'));
  try {
    await migrateUnderLock(pool, logger);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  const db = drizzlePg({ client: pool });
  logger.info({ kind: 'postgres' }, 'database ready');
  return handle('postgres', db, () => pool.end());
}

/**
 * Runs the migrations on one dedicated connection that holds the advisory lock, so that a second
 * instance waits, then finds nothing left to apply (drizzle's own bookkeeping is not safe to race:
 * both would try to create its schema and apply the same migration).
 */
async function migrateUnderLock(pool: pg.Pool, logger: Logger): Promise<void> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await migrateOn(client, logger);
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
  }
  // A connection that failed midway is closed rather than pooled, which also ends its session lock.
  client.release(failure);
  if (failure) throw failure;
}

/** Applies the migrations on one connection, holding the advisory lock meanwhile. */
async function migrateOn(client: pg.PoolClient | pg.Client, logger: Logger): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  await migratePg(drizzlePg({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
  await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  logger.debug('migrations applied');
}

/**
 * PostgreSQL's memory settings for the embedded database, sized for a bot's few small tables: its
 * defaults (128 MB of shared buffers, 64 MB for maintenance) kept ~320 MB resident in the WebAssembly
 * heap, which never shrinks; with these, ~180 MB for the whole process after a restart (measured).
 */
const PGLITE_MEMORY = [
  ['shared_buffers', '8MB'],
  ['wal_buffers', '1MB'],
  ['temp_buffers', '1MB'],
  ['work_mem', '1MB'],
  ['maintenance_work_mem', '4MB'],
].flatMap(([name, value]) => ['-c', `${name}=${value}`]);

async function openPglite(dataDir: string, logger: Logger): Promise<DatabaseHandle> {
  const inMemory = dataDir === 'memory://';
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  const fresh = !inMemory && !(await exists(join(dataDir, 'PG_VERSION')));
  let opened = await openMigrated(dataDir);
  if (fresh) {
    // Creating the cluster (initdb) grows the WebAssembly heap to ~550 MB, and a heap never gives
    // memory back: start again on the new files, so that the process idles at its usual size.
    await opened.client.close();
    opened = await openMigrated(dataDir);
  }
  const { client, db } = opened;
  logger.info({ kind: 'pglite', dataDir }, 'database ready');
  return handle('pglite', db, () => client.close());
}

async function openMigrated(dataDir: string) {
  const client = await PGlite.create(dataDir, {
    startParams: [...PGlite.defaultStartParams, ...PGLITE_MEMORY],
  });
  const db = drizzlePglite({ client });
  try {
    await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
  return { client, db };
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function handle(kind: DatabaseHandle['kind'], db: Database, end: () => Promise<void>): DatabaseHandle {
  let closing: Promise<void> | undefined;
  return {
    db,
    kind,
    ready: Promise.resolve(),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => {
      closing ??= end();
      return closing;
    },
  };
}
