import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseError } from '../../../src/storage/db/errors.ts';
import { PgStationRepository } from '../../../src/storage/db/station-repository.ts';
import type { StationInput } from '../../../src/storage/db/stations.ts';
import { captureLogger } from '../../support/logs.ts';
import {
  BAD_GUILD_IDS,
  drivers,
  expectInvalidInput,
  newGuild,
  type OpenedDatabase,
  type Repositories,
  repositoryKinds,
} from './harness.ts';

function station(overrides: Partial<StationInput> = {}): StationInput {
  return { name: 'Lofi', provider: 'icecast', streamUrl: 'https://radio.test/lofi.mp3', ...overrides };
}

describe.each(repositoryKinds)('station repository on %s', (_kind, open) => {
  let repos: Repositories;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ repos, dispose } = await open());
  });
  afterAll(async () => {
    await dispose?.();
  });

  it('lists nothing for a guild without stations', async () => {
    expect(await repos.stations.list(newGuild())).toEqual([]);
  });

  it('fills the optional fields when a station is created and reads it back as stored', async () => {
    const g = newGuild();
    const created = await repos.stations.upsert(g, station());
    const expected = {
      name: 'Lofi',
      provider: 'icecast',
      streamUrl: 'https://radio.test/lofi.mp3',
      apiEndpoint: null,
      apiKey: null,
      metadataPath: null,
      bitrate: null,
      codec: null,
      customHeaders: {},
      enabled: true,
    };
    expect(created).toEqual(expected);
    expect(await repos.stations.get(g, 'Lofi')).toEqual(expected);
  });

  it('keeps every field of a full station config', async () => {
    const g = newGuild();
    const full = {
      name: 'Pretzel',
      provider: 'pretzel',
      streamUrl: 'https://stream.test/pretzel',
      apiEndpoint: 'https://api.test/now-playing',
      apiKey: 'secret-key',
      metadataPath: 'data.track',
      bitrate: 192,
      codec: 'aac',
      customHeaders: { 'X-Client': 'unified-music' },
      enabled: false,
    };
    expect(await repos.stations.upsert(g, full)).toEqual(full);
    expect(await repos.stations.get(g, 'Pretzel')).toEqual(full);
  });

  it('replaces the station of the same name instead of adding a second one', async () => {
    const g = newGuild();
    await repos.stations.upsert(g, station({ bitrate: 128 }));
    await repos.stations.upsert(g, station({ streamUrl: 'https://radio.test/lofi2.mp3', bitrate: 320 }));
    const list = await repos.stations.list(g);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ streamUrl: 'https://radio.test/lofi2.mp3', bitrate: 320 });
  });

  it('keeps several stations of one provider type, listed by name', async () => {
    const g = newGuild();
    await repos.stations.upsert(g, station({ name: 'Synthwave' }));
    await repos.stations.upsert(g, station({ name: 'Chillhop' }));
    await repos.stations.upsert(g, station({ name: 'Lofi' }));
    expect((await repos.stations.list(g)).map((s) => s.name)).toEqual(['Chillhop', 'Lofi', 'Synthwave']);
  });

  it('returns null for a station name the guild does not have', async () => {
    expect(await repos.stations.get(newGuild(), 'Nope')).toBeNull();
  });

  it('removes a station and says whether it existed', async () => {
    const g = newGuild();
    await repos.stations.upsert(g, station());
    expect(await repos.stations.remove(g, 'Lofi')).toBe(true);
    expect(await repos.stations.get(g, 'Lofi')).toBeNull();
    expect(await repos.stations.remove(g, 'Lofi')).toBe(false);
  });

  it('rejects an invalid station without storing it', async () => {
    const g = newGuild();
    const bad: unknown[] = [
      station({ name: '   ' }),
      station({ streamUrl: 'not a url' }),
      station({ streamUrl: 'ftp://radio.test/x' }),
      station({ provider: 'Ice Cast' }),
      station({ bitrate: -1 }),
      { name: 'No stream', provider: 'icecast' },
    ];
    for (const input of bad) {
      await expectInvalidInput(repos.stations.upsert(g, input as never));
    }
    expect(await repos.stations.list(g)).toEqual([]);
  });

  it('refuses NUL and lone surrogates in every text field, and in a name it is asked for', async () => {
    // PostgreSQL and PGlite refuse both (a 500 before): they are bad input, refused before any query.
    const g = newGuild();
    for (const bad of ['a\u0000b', 'a\ud800b', '\udc00']) {
      const inputs = [
        station({ name: bad }),
        station({ streamUrl: `https://radio.test/${bad}` }),
        station({ apiEndpoint: `https://api.test/${bad}` }),
        station({ apiKey: bad }),
        station({ metadataPath: bad }),
        station({ codec: bad }),
        station({ customHeaders: { 'x-a': bad } }),
      ];
      for (const input of inputs) {
        const err = await expectInvalidInput(repos.stations.upsert(g, input));
        expect(err.message).toMatch(/NUL|broken Unicode|one line|request header/);
      }
      await expectInvalidInput(repos.stations.get(g, bad));
      await expectInvalidInput(repos.stations.remove(g, bad));
    }
    expect(await repos.stations.list(g)).toEqual([]);
  });

  it('refuses headers node:http could not send, so that a saved station never fails at play', async () => {
    const g = newGuild();
    const bad: Record<string, string>[] = [
      { 'x-a': 'a\r\nX-Injected: 1' },
      { 'x-a': 'line\nbreak' },
      { 'x-a': 'emoji \u{1F3B5}' },
      { 'x-a:b': 'v' },
      { 'x a': 'v' },
      { 'x-\u00e9': 'v' },
    ];
    for (const customHeaders of bad) {
      await expectInvalidInput(repos.stations.upsert(g, station({ customHeaders })));
    }
    await expectInvalidInput(repos.stations.upsert(g, station({ apiKey: 'key\r\nX: 1' })));
    expect(await repos.stations.list(g)).toEqual([]);
    // What node:http sends is kept: tokens, visible ASCII, tabs and Latin-1.
    const good = { 'X-Client_ID.v2': 'abc\tdef ghi', 'x-name': 'caf\u00e9' };
    expect((await repos.stations.upsert(g, station({ customHeaders: good }))).customHeaders).toEqual(good);
  });

  it('keeps stations of the same name in two guilds apart', async () => {
    const a = newGuild();
    const b = newGuild();
    await repos.stations.upsert(a, station({ bitrate: 64 }));
    await repos.stations.upsert(b, station({ bitrate: 256 }));
    expect(await repos.stations.remove(a, 'Lofi')).toBe(true);
    expect(await repos.stations.list(a)).toEqual([]);
    expect(await repos.stations.list(b)).toEqual([expect.objectContaining({ name: 'Lofi', bitrate: 256 })]);
  });

  describe.each(BAD_GUILD_IDS)('with a guild id that is %s', (_what, bad) => {
    const id = bad as string;

    it('rejects it with a UserError in every method', async () => {
      await expectInvalidInput(repos.stations.list(id));
      await expectInvalidInput(repos.stations.get(id, 'Lofi'));
      await expectInvalidInput(repos.stations.upsert(id, station()));
      await expectInvalidInput(repos.stations.remove(id, 'Lofi'));
    });
  });
});

describe.each(drivers)('a failing station write on %s', (_kind, open) => {
  let opened: OpenedDatabase;
  beforeAll(async () => {
    opened = await open();
    // A constraint only this database has makes the write fail inside the database.
    await opened.handle.db.execute(
      sql`alter table music_provider_config add constraint um_test_refuse check (name <> 'Refused')`,
    );
  });
  afterAll(async () => {
    await opened?.dispose();
  });

  it('throws a DatabaseError that names the constraint and holds no parameter or row value', async () => {
    const repo = new PgStationRepository(opened.handle.db);
    const err = await repo
      .upsert(
        newGuild(),
        station({ name: 'Refused', apiKey: 'sk-live-SECRET', customHeaders: { 'X-A': 'hdr-SECRET' } }),
      )
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err).toMatchObject({
      code: '23514',
      constraint: 'um_test_refuse',
      table: 'music_provider_config',
    });
    const { logger, lines } = captureLogger();
    logger.error({ err }, 'request failed');
    const logged = JSON.stringify(lines());
    expect(logged).toContain('um_test_refuse');
    for (const secret of ['sk-live-SECRET', 'hdr-SECRET', 'params']) expect(logged).not.toContain(secret);
  });
});
