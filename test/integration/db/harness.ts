import { type SQL, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { UserError } from '../../../src/core/errors.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { BlocklistRepository } from '../../../src/storage/db/blocklist.ts';
import { MemoryBlocklistRepository } from '../../../src/storage/db/blocklist-memory.ts';
import { PgBlocklistRepository } from '../../../src/storage/db/blocklist-repository.ts';
import { type Database, type DatabaseHandle, openDatabase } from '../../../src/storage/db/connection.ts';
import type { GuildSettingsRepository } from '../../../src/storage/db/guild-settings.ts';
import { MemoryGuildSettingsRepository } from '../../../src/storage/db/guild-settings-memory.ts';
import { PgGuildSettingsRepository } from '../../../src/storage/db/guild-settings-repository.ts';
import type { RadioStateRepository } from '../../../src/storage/db/radio-state.ts';
import { MemoryRadioStateRepository } from '../../../src/storage/db/radio-state-memory.ts';
import { PgRadioStateRepository } from '../../../src/storage/db/radio-state-repository.ts';
import { MemoryStationRepository } from '../../../src/storage/db/station-memory.ts';
import { PgStationRepository } from '../../../src/storage/db/station-repository.ts';
import type { StationRepository } from '../../../src/storage/db/stations.ts';
import { createTestDatabase } from '../../support/postgres.ts';
import { snowflake } from '../../support/tracks.ts';

/** One open database of each driver, with what closes and drops it. */
export interface OpenedDatabase {
  handle: DatabaseHandle;
  /** The PostgreSQL URL; undefined for PGlite. */
  url: string | undefined;
  dispose(): Promise<void>;
}

export const drivers: [string, () => Promise<OpenedDatabase>][] = [
  [
    'postgres',
    async () => {
      const database = await createTestDatabase();
      const handle = await openDatabase({ url: database.url, logger: silentLogger() });
      return {
        handle,
        url: database.url,
        dispose: async () => {
          await handle.close();
          await database.drop();
        },
      };
    },
  ],
  [
    'pglite',
    async () => {
      const handle = await openDatabase({ pgliteDataDir: 'memory://', logger: silentLogger() });
      return { handle, url: undefined, dispose: () => handle.close() };
    },
  ],
];

/** Rows of a raw query; both drivers answer `execute` with `{ rows }`. */
export async function rows<T = Record<string, unknown>>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export async function tableNames(db: Database): Promise<string[]> {
  const found = await rows<{ table_name: string }>(
    db,
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return found.map((r) => r.table_name);
}

export async function appliedMigrations(db: Database): Promise<number> {
  const [row] = await rows<{ n: number | string }>(
    db,
    sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
  );
  return Number(row?.n);
}

export interface Repositories {
  settings: GuildSettingsRepository;
  blocklist: BlocklistRepository;
  stations: StationRepository;
  radio: RadioStateRepository;
}

/** The same cases run on PostgreSQL, on PGlite, and on the in-memory versions services are tested with. */
export const repositoryKinds: [string, () => Promise<{ repos: Repositories; dispose(): Promise<void> }>][] = [
  ...drivers.map(([name, open]): (typeof repositoryKinds)[number] => [
    name,
    async () => {
      const opened = await open();
      const db = opened.handle.db;
      return {
        repos: {
          settings: new PgGuildSettingsRepository(db),
          blocklist: new PgBlocklistRepository(db),
          stations: new PgStationRepository(db),
          radio: new PgRadioStateRepository(db),
        },
        dispose: opened.dispose,
      };
    },
  ]),
  [
    'memory',
    async () => ({
      repos: {
        settings: new MemoryGuildSettingsRepository(),
        blocklist: new MemoryBlocklistRepository(),
        stations: new MemoryStationRepository(),
        radio: new MemoryRadioStateRepository(),
      },
      dispose: async () => undefined,
    }),
  ],
];

// Each test takes guilds no other test uses, so the tests of a file share one database.
let lastGuild = 0;
export function newGuild(): string {
  lastGuild += 1;
  return snowflake(1000 + lastGuild);
}

export async function expectInvalidInput(promise: Promise<unknown>): Promise<UserError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a UserError, but the call succeeded');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  expect((err as UserError).code).toBe('INVALID_INPUT');
  return err as UserError;
}

/** Guild ids every repository method must refuse before they reach a query. */
export const BAD_GUILD_IDS: [string, unknown][] = [
  ['an empty string', ''],
  ['too few digits', '12345'],
  ['letters', 'guild-1'],
  // A snowflake parsed as a number has already lost its last digits.
  ['a number instead of a string', Number('123456789012345678')],
  ['an SQL fragment', "1' OR '1'='1"],
];
