import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenCipher } from '../../../src/spotify/token-cipher.ts';
import type { GuildSettingsRepository } from '../../../src/storage/db/guild-settings.ts';
import { MemoryGuildSettingsRepository } from '../../../src/storage/db/guild-settings-memory.ts';
import { PgGuildSettingsRepository } from '../../../src/storage/db/guild-settings-repository.ts';
import type { SpotifyAccount, SpotifyTokenRepository } from '../../../src/storage/db/spotify-tokens.ts';
import { MemorySpotifyTokenRepository } from '../../../src/storage/db/spotify-tokens-memory.ts';
import { PgSpotifyTokenRepository } from '../../../src/storage/db/spotify-tokens-repository.ts';
import { plainForms } from '../../unit/spotify/plain-forms.ts';
import {
  BAD_GUILD_IDS,
  drivers,
  expectInvalidInput,
  newGuild,
  type OpenedDatabase,
  rows,
} from '../db/harness.ts';

const cipher = new TokenCipher(randomBytes(32));

function account(guildId: string, extra: Partial<SpotifyAccount> = {}): SpotifyAccount {
  return {
    guildId,
    accessToken: `BQ-access-${randomBytes(24).toString('hex')}`,
    refreshToken: `AQ-refresh-${randomBytes(24).toString('hex')}`,
    expiresAt: Date.UTC(2026, 0, 1, 13, 0, 0),
    scope: 'user-read-playback-state user-modify-playback-state',
    displayName: 'Stream Account',
    deviceId: null,
    ...extra,
  };
}

type Kind = [
  string,
  () => Promise<{
    tokens: SpotifyTokenRepository;
    settings: GuildSettingsRepository;
    opened?: OpenedDatabase;
  }>,
];

const kinds: Kind[] = [
  ...drivers.map(
    ([name, open]): Kind => [
      name,
      async () => {
        const opened = await open();
        return {
          tokens: new PgSpotifyTokenRepository(opened.handle.db, cipher),
          settings: new PgGuildSettingsRepository(opened.handle.db),
          opened,
        };
      },
    ],
  ),
  [
    'memory',
    async () => ({
      tokens: new MemorySpotifyTokenRepository(),
      settings: new MemoryGuildSettingsRepository(),
    }),
  ],
];

describe.each(kinds)('Spotify accounts on %s', (kind, open) => {
  let tokens: SpotifyTokenRepository;
  let settings: GuildSettingsRepository;
  let opened: OpenedDatabase | undefined;
  beforeAll(async () => {
    ({ tokens, settings, opened } = await open());
  });
  afterAll(async () => {
    await opened?.dispose();
  });

  it('keeps one account per guild and gives it back as stored', async () => {
    const g = newGuild();
    expect(await tokens.get(g)).toBeNull();
    const first = account(g);
    await tokens.link(first);
    expect(await tokens.get(g)).toEqual(first);
    const second = account(g, { displayName: 'Other', deviceId: 'dev-1' });
    await tokens.link(second);
    expect(await tokens.get(g)).toEqual(second);
  });

  it('replaces the tokens after a refresh and keeps the rest', async () => {
    const g = newGuild();
    await tokens.link(account(g, { deviceId: 'dev-1' }));
    const fresh = {
      accessToken: 'BQ-new',
      refreshToken: 'AQ-new',
      expiresAt: Date.UTC(2026, 0, 2),
      scope: 's',
    };
    expect(await tokens.updateTokens(g, fresh)).toBe(true);
    expect(await tokens.get(g)).toMatchObject({ ...fresh, deviceId: 'dev-1', displayName: 'Stream Account' });
  });

  it('never brings back an unlinked account through a late refresh or device choice', async () => {
    const g = newGuild();
    await tokens.link(account(g));
    expect(await tokens.delete(g)).toBe(true);
    expect(await tokens.delete(g)).toBe(false);
    expect(
      await tokens.updateTokens(g, { accessToken: 'a', refreshToken: 'r', expiresAt: 0, scope: '' }),
    ).toBe(false);
    expect(await tokens.setDevice(g, 'dev')).toBe(false);
    expect(await tokens.get(g)).toBeNull();
  });

  it('keeps guilds apart', async () => {
    const a = newGuild();
    const b = newGuild();
    await tokens.link(account(a));
    await tokens.link(account(b));
    await tokens.setDevice(a, 'dev-a');
    await tokens.delete(b);
    expect(await tokens.get(a)).toMatchObject({ deviceId: 'dev-a' });
    expect(await tokens.get(b)).toBeNull();
  });

  it.each(BAD_GUILD_IDS)('refuses %s as a guild id', async (_, id) => {
    await expectInvalidInput(tokens.get(id as string));
    await expectInvalidInput(tokens.link(account(id as string)));
    await expectInvalidInput(tokens.delete(id as string));
  });

  it('stores spotify_mode in the guild settings: device, voice, or absent for automatic', async () => {
    const g = newGuild();
    expect(await settings.get(g)).not.toHaveProperty('spotifyMode');
    expect(await settings.update(g, { spotifyMode: 'device' })).toMatchObject({ spotifyMode: 'device' });
    expect(await settings.get(g)).toMatchObject({ spotifyMode: 'device', defaultVolume: 100 });
    await settings.update(g, { defaultVolume: 20 });
    expect(await settings.get(g)).toMatchObject({ spotifyMode: 'device', defaultVolume: 20 });
    await settings.update(g, { spotifyMode: null });
    expect(await settings.get(g)).not.toHaveProperty('spotifyMode');
    const err = await expectInvalidInput(settings.update(g, { spotifyMode: 'radio' as 'voice' }));
    expect(err.message).toContain('spotifyMode');
  });

  if (kind === 'memory') return;

  it('keeps neither token readable in the table: not in clear, hex or base64', async () => {
    const g = newGuild();
    const stored = account(g);
    await tokens.link(stored);
    const refreshed = {
      accessToken: 'BQ-refreshed-0123456789',
      refreshToken: stored.refreshToken,
      expiresAt: 1,
      scope: '',
    };
    await tokens.updateTokens(g, refreshed);
    const raw = await rawRow(opened!, g);
    expect(raw).not.toBeNull();
    for (const secret of [stored.accessToken, stored.refreshToken, refreshed.accessToken]) {
      for (const form of plainForms(secret)) expect(raw).not.toContain(form);
    }
  });

  it('cannot read the tokens with another key, and says to link again', async () => {
    const g = newGuild();
    await tokens.link(account(g));
    const otherKey = new PgSpotifyTokenRepository(opened!.handle.db, new TokenCipher(randomBytes(32)));
    await expect(otherKey.get(g)).rejects.toMatchObject({
      code: 'SPOTIFY_NOT_LINKED',
      message: expect.stringMatching(/Link the account again/),
    });
  });

  it("cannot read tokens copied into another guild's row", async () => {
    const a = newGuild();
    const b = newGuild();
    await tokens.link(account(a));
    await tokens.link(account(b));
    const db = opened!.handle.db;
    await db.execute(
      sql`update spotify_accounts set tokens = (select tokens from spotify_accounts where guild_id = ${a}) where guild_id = ${b}`,
    );
    await expect(tokens.get(b)).rejects.toMatchObject({ code: 'SPOTIFY_NOT_LINKED' });
    expect(await tokens.get(a)).not.toBeNull();
  });
});

/** The whole row as text: through `pg` itself on PostgreSQL, through the driver on PGlite. */
async function rawRow(opened: OpenedDatabase, guildId: string): Promise<string | null> {
  if (opened.url) {
    const client = new pg.Client({ connectionString: opened.url });
    await client.connect();
    try {
      const result = await client.query('select * from spotify_accounts where guild_id = $1', [guildId]);
      return result.rows[0] ? JSON.stringify(result.rows[0]) : null;
    } finally {
      await client.end();
    }
  }
  const [row] = await rows(opened.handle.db, sql`select * from spotify_accounts where guild_id = ${guildId}`);
  return row ? JSON.stringify(row) : null;
}
