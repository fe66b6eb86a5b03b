import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.ts';
import { type DatabaseHandle, openDatabase } from '../../../src/storage/db/connection.ts';
import { musicProviderConfig } from '../../../src/storage/db/schema.ts';
import { PgStationRepository } from '../../../src/storage/db/station-repository.ts';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts';
import { snowflake } from '../../support/tracks.ts';
import { appliedMigrations, drivers, type OpenedDatabase, rows, tableNames } from './harness.ts';

const G = snowflake(1);
const OTHER = snowflake(2);

function config(name: string) {
  return {
    name,
    stream_url: `https://radio.test/${name}`,
    api_endpoint: null,
    api_key: null,
    metadata_path: null,
    bitrate: null,
    codec: null,
    custom_headers: {},
  };
}

/** The driver's error behind drizzle's query error: both carry PostgreSQL's SQLSTATE as `code`. */
async function sqlState(promise: Promise<unknown>): Promise<string | undefined> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e as { code?: string; cause?: { code?: string } },
  );
  return err?.cause?.code ?? err?.code;
}

describe.each(drivers)('database on %s', (kind, open) => {
  let opened: OpenedDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    opened = await open();
    handle = opened.handle;
  });
  afterAll(async () => {
    await opened?.dispose();
  });

  it('reports which driver it uses', () => {
    expect(handle.kind).toBe(kind);
  });

  it('creates the seven tables when it opens', async () => {
    expect(await tableNames(handle.db)).toEqual([
      'blocklist_entries',
      'guild_settings',
      'music_provider_config',
      'music_radio_state',
      'saved_playlists',
      'spotify_accounts',
      'twitch_links',
    ]);
    expect(await appliedMigrations(handle.db)).toBe(6);
  });

  it('answers a ping', async () => {
    await expect(handle.ping()).resolves.toBeUndefined();
  });

  it('refuses a second station of the same name in one guild at the table level', async () => {
    await handle.db
      .insert(musicProviderConfig)
      .values({ communityId: G, providerType: 'icecast', name: 'dup', config: config('dup') });
    const code = await sqlState(
      handle.db
        .insert(musicProviderConfig)
        .values({ communityId: G, providerType: 'pretzel', name: 'dup', config: config('dup') }),
    );
    expect(code).toBe('23505'); // unique_violation
  });

  it('accepts several stations of one provider type, and the same name in another guild', async () => {
    await handle.db.insert(musicProviderConfig).values([
      { communityId: G, providerType: 'icecast', name: 'one', config: config('one') },
      { communityId: G, providerType: 'icecast', name: 'two', config: config('two') },
      { communityId: OTHER, providerType: 'icecast', name: 'one', config: config('one') },
    ]);
    const [row] = await rows<{ n: number }>(
      handle.db,
      sql`select count(*)::int as n from music_provider_config where name in ('one', 'two')`,
    );
    expect(Number(row?.n)).toBe(3);
  });

  it("stores a station's config with the seed's snake_case keys and its provider in provider_type", async () => {
    await new PgStationRepository(handle.db).upsert(OTHER, {
      name: 'Seed shape',
      provider: 'icecast',
      streamUrl: 'https://radio.test/seed',
      bitrate: 128,
      codec: 'mp3',
      customHeaders: { 'Icy-MetaData': '1' },
    });
    const [row] = await rows<{ provider_type: string; is_enabled: boolean; config: unknown }>(
      handle.db,
      sql`select provider_type, is_enabled, config from music_provider_config where name = 'Seed shape'`,
    );
    expect(row).toEqual({
      provider_type: 'icecast',
      is_enabled: true,
      config: {
        name: 'Seed shape',
        stream_url: 'https://radio.test/seed',
        api_endpoint: null,
        api_key: null,
        metadata_path: null,
        bitrate: 128,
        codec: 'mp3',
        custom_headers: { 'Icy-MetaData': '1' },
      },
    });
  });

  it('reads a station row written by hand with only some of the seed keys', async () => {
    await handle.db.execute(
      sql`insert into music_provider_config (community_id, provider_type, name, config)
          values (${OTHER}, 'icecast', 'Handmade', ${JSON.stringify({ name: 'Handmade', stream_url: 'https://radio.test/h' })}::jsonb)`,
    );
    expect(await new PgStationRepository(handle.db).get(OTHER, 'Handmade')).toMatchObject({
      streamUrl: 'https://radio.test/h',
      apiKey: null,
      customHeaders: {},
      enabled: true,
    });
  });
});

describe('database on postgres, at start', () => {
  const databases: TestDatabase[] = [];
  async function freshDatabase(): Promise<TestDatabase> {
    const database = await createTestDatabase();
    databases.push(database);
    return database;
  }
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  it('lets two instances start at once on one fresh database', async () => {
    const { url } = await freshDatabase();
    const [a, b] = await Promise.all([
      openDatabase({ url, logger: silentLogger() }),
      openDatabase({ url, logger: silentLogger() }),
    ]);
    try {
      expect(await appliedMigrations(a.db)).toBe(6);
      expect(await tableNames(b.db)).toEqual([
        'blocklist_entries',
        'guild_settings',
        'music_provider_config',
        'music_radio_state',
        'saved_playlists',
        'spotify_accounts',
        'twitch_links',
      ]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('applies nothing again and keeps the data when reopened', async () => {
    const { url } = await freshDatabase();
    const first = await openDatabase({ url, logger: silentLogger() });
    await new PgStationRepository(first.db).upsert(G, {
      name: 'Kept',
      provider: 'icecast',
      streamUrl: 'https://radio.test/kept',
    });
    await first.close();
    const second = await openDatabase({ url, logger: silentLogger() });
    try {
      expect(await appliedMigrations(second.db)).toBe(6);
      expect(await new PgStationRepository(second.db).get(G, 'Kept')).not.toBeNull();
    } finally {
      await second.close();
    }
  });

  it('can be closed twice', async () => {
    const { url } = await freshDatabase();
    const handle = await openDatabase({ url, logger: silentLogger() });
    await handle.close();
    await expect(handle.close()).resolves.toBeUndefined();
  });

  it('fails to open when the server cannot be reached', async () => {
    await expect(
      openDatabase({ url: 'postgres://postgres@127.0.0.1:1/nowhere', logger: silentLogger() }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('database on pglite, in a data directory', () => {
  let parent: string;
  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'um-pglite-'));
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('creates a missing data directory and keeps the data across a reopen', async () => {
    const dataDir = join(parent, 'nested', 'pglite');
    const first = await openDatabase({ pgliteDataDir: dataDir, logger: silentLogger() });
    await new PgStationRepository(first.db).upsert(G, {
      name: 'Kept',
      provider: 'icecast',
      streamUrl: 'https://radio.test/kept',
    });
    await first.close();
    const second = await openDatabase({ pgliteDataDir: dataDir, logger: silentLogger() });
    try {
      expect(second.kind).toBe('pglite');
      expect(await appliedMigrations(second.db)).toBe(6);
      expect(await new PgStationRepository(second.db).get(G, 'Kept')).not.toBeNull();
    } finally {
      await second.close();
    }
  });
});
