import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPOTIFY_CALLBACK_PATH } from '../../../src/config/spotify.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { HttpServer } from '../../../src/http/server.ts';
import { LINK_STATE_TTL_MS } from '../../../src/spotify/link-states.ts';
import { spotifyRoutes } from '../../../src/spotify/routes.ts';
import { TokenCipher } from '../../../src/spotify/token-cipher.ts';
import { type DatabaseHandle, openDatabase } from '../../../src/storage/db/connection.ts';
import { PgSpotifyTokenRepository } from '../../../src/storage/db/spotify-tokens-repository.ts';
import { testServer } from '../../support/api.ts';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts';
import { snowflake } from '../../support/tracks.ts';
import { plainForms } from '../../unit/spotify/plain-forms.ts';
import { type SpotifyRig, spotifyRig } from './harness.ts';

const TOKEN = 'test-token-0123456789abcdef';
const G = snowflake(1);
const OTHER = snowflake(3);
const UNKNOWN = snowflake(77);
const ADMIN = snowflake(2);

describe('Spotify routes over real HTTP, with PostgreSQL', () => {
  let server: HttpServer;
  let base: string;
  let rig: SpotifyRig;
  let database: TestDatabase;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    database = await createTestDatabase();
    handle = await openDatabase({ url: database.url, logger: silentLogger() });
    server = testServer(TOKEN);
    base = `http://127.0.0.1:${(await server.listen()).port}`;
    const redirect = `${base}${SPOTIFY_CALLBACK_PATH}`;
    rig = await spotifyRig({
      redirect,
      redirectUri: redirect,
      tokens: new PgSpotifyTokenRepository(handle.db, new TokenCipher(randomBytes(32))),
    });
    rig.fake.addDevice('Desk PC');
    const known = new Set([G, OTHER]);
    server.add(
      ...spotifyRoutes({ spotify: rig.service, hasCommunity: (g) => known.has(g), logger: silentLogger() }),
    );
  });
  afterAll(async () => {
    await server?.close();
    await rig?.close();
    await handle?.close();
    await database?.drop();
  });

  const call = async (method: string, path: string, body?: unknown, auth = true) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(auth && { authorization: `Bearer ${TOKEN}` }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as { data: Record<string, unknown> } };
  };
  const startLink = async (guildId = G) => {
    const r = await call('POST', `/api/v1/spotify/${guildId}/link`, { user_id: ADMIN });
    expect(r.status).toBe(200);
    return r.json.data.authorize_url as string;
  };
  /** The redirect Spotify sends the browser back with, without following it. */
  const approved = async (authorizeUrl: string) => {
    const res = await fetch(authorizeUrl, { redirect: 'manual' });
    return res.headers.get('location')!;
  };
  const page = async (url: string) => {
    const res = await fetch(url);
    return { status: res.status, type: res.headers.get('content-type'), html: await res.text() };
  };
  const tokenRequests = () => rig.fake.calls.filter((c) => c.path === '/api/token').length;

  it('links an account end to end: link, Spotify, callback page, status, device, unlink', async () => {
    const authorizeUrl = await startLink();
    expect(authorizeUrl.startsWith(`${rig.fake.accountsUrl}/authorize?`)).toBe(true);

    // The browser opens the link; Spotify (the fake) approves and redirects to the side-server.
    const res = await fetch(authorizeUrl);
    expect(res.url.startsWith(`${base}${SPOTIFY_CALLBACK_PATH}?`)).toBe(true);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('Spotify is now linked as Stream Account');

    const status = await call('GET', `/api/v1/spotify/${G}`);
    expect(status).toEqual({
      status: 200,
      json: expect.objectContaining({
        success: true,
        data: {
          linked: true,
          display_name: 'Stream Account',
          devices: [{ id: rig.fake.devices[0]!.id, name: 'Desk PC', type: 'Computer', is_active: false }],
          device_id: null,
        },
      }),
    });

    const chosen = await call('PUT', `/api/v1/spotify/${G}/device`, { device_id: rig.fake.devices[0]!.id });
    expect(chosen.status).toBe(200);
    expect(chosen.json.data.device_id).toBe(rig.fake.devices[0]!.id);

    const unlinked = await call('DELETE', `/api/v1/spotify/${G}`);
    expect(unlinked).toMatchObject({ status: 200, json: { data: { linked: false, removed: true } } });
    expect((await call('GET', `/api/v1/spotify/${G}`)).json.data).toEqual({
      linked: false,
      display_name: null,
      devices: [],
      device_id: null,
    });
  });

  it('keeps the linked tokens out of the table in clear, hex and base64', async () => {
    await fetch(await startLink(OTHER));
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    let raw: string;
    try {
      const result = await client.query('select * from spotify_accounts where guild_id = $1', [OTHER]);
      expect(result.rows).toHaveLength(1);
      raw = JSON.stringify(result.rows[0]);
    } finally {
      await client.end();
    }
    const issued = [...rig.fake.accessTokens.keys(), ...rig.fake.refreshTokens.keys()];
    expect(issued.length).toBeGreaterThan(0);
    for (const secret of issued) for (const form of plainForms(secret)) expect(raw).not.toContain(form);
  });

  it('refuses a reused state with a 4xx page and no token request', async () => {
    const back = await approved(await startLink());
    expect((await page(back)).status).toBe(200);
    const before = tokenRequests();
    const again = await page(back);
    expect(again.status).toBe(400);
    expect(again.type).toMatch(/^text\/html/);
    expect(again.html).toContain('already used or has expired');
    expect(tokenRequests()).toBe(before);
  });

  it('refuses an expired state with a 4xx page and no token request', async () => {
    const back = await approved(await startLink());
    rig.clock.advance(LINK_STATE_TTL_MS);
    const before = tokenRequests();
    const expired = await page(back);
    expect(expired.status).toBe(400);
    expect(expired.html).toContain('Spotify was not linked');
    expect(tokenRequests()).toBe(before);
  });

  it('refuses an unknown or missing state with a 4xx page and no token request', async () => {
    const before = tokenRequests();
    for (const query of ['?state=forged&code=abc', '?code=abc', '']) {
      const r = await page(`${base}${SPOTIFY_CALLBACK_PATH}${query}`);
      expect(r.status, query).toBe(400);
      expect(r.type).toMatch(/^text\/html/);
    }
    expect(tokenRequests()).toBe(before);
  });

  it('shows the display name escaped', async () => {
    rig.fake.user.displayName = '<img src=x onerror=alert(1)>';
    try {
      const done = await page(await startLink());
      expect(done.html).not.toContain('<img');
      expect(done.html).toContain('&#60;img');
    } finally {
      rig.fake.user.displayName = 'Stream Account';
    }
  });

  it('answers the status with 200 even when Spotify fails', async () => {
    await fetch(await startLink());
    rig.fake.failNext({ status: 503 });
    const r = await call('GET', `/api/v1/spotify/${G}`);
    expect(r.status).toBe(200);
    expect(r.json.data).toMatchObject({ linked: true, devices: [] });
  });

  it('needs the bearer token on the API routes, never on the callback', async () => {
    for (const [method, path] of [
      ['POST', `/api/v1/spotify/${G}/link`],
      ['GET', `/api/v1/spotify/${G}`],
      ['PUT', `/api/v1/spotify/${G}/device`],
      ['DELETE', `/api/v1/spotify/${G}`],
    ] as const) {
      expect((await call(method, path, undefined, false)).status, `${method} ${path}`).toBe(401);
    }
    expect((await page(`${base}${SPOTIFY_CALLBACK_PATH}?state=x`)).status).toBe(400);
  });

  it('answers 404 for a community the bot is not in and 400 for a bad id', async () => {
    expect((await call('GET', `/api/v1/spotify/${UNKNOWN}`)).status).toBe(404);
    expect((await call('POST', '/api/v1/spotify/not-a-guild/link')).status).toBe(400);
  });

  it('refuses an unknown device (404) and a device choice without a link (409)', async () => {
    await fetch(await startLink());
    const unknown = await call('PUT', `/api/v1/spotify/${G}/device`, { device_id: 'no-such-device' });
    expect(unknown).toMatchObject({ status: 404, json: { error: { code: 'NOT_FOUND' } } });
    await call('DELETE', `/api/v1/spotify/${G}`);
    const unlinked = await call('PUT', `/api/v1/spotify/${G}/device`, { device_id: null });
    expect(unlinked).toMatchObject({ status: 409, json: { error: { code: 'SPOTIFY_NOT_LINKED' } } });
    expect((await call('PUT', `/api/v1/spotify/${G}/device`, {})).status).toBe(400);
  });
});
