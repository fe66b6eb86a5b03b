import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.ts';
import { InvalidGrantError } from '../../../src/spotify/accounts.ts';
import { LINK_STATE_TTL_MS } from '../../../src/spotify/link-states.ts';
import { pkceChallenge } from '../../../src/spotify/pkce.ts';
import { type FakeDevice, spotifyId } from '../../fakes/spotify/index.ts';
import { snowflake } from '../../support/tracks.ts';
import { approve, link, REDIRECT_URI, type SpotifyRig, spotifyRig } from './harness.ts';

const G = snowflake(1);
const ADMIN = snowflake(2);

async function finish(rig: SpotifyRig, back: URL) {
  return rig.service.finishLink({
    state: back.searchParams.get('state'),
    code: back.searchParams.get('code'),
    error: back.searchParams.get('error'),
  });
}

describe('linking an account', () => {
  let rig: SpotifyRig;
  afterEach(() => rig?.close());

  it('asks for the PKCE flow with the playback scopes only', async () => {
    rig = await spotifyRig();
    const url = new URL(rig.service.startLink(G, ADMIN).authorizeUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${rig.fake.accountsUrl}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: rig.fake.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      code_challenge_method: 'S256',
      scope: 'user-read-playback-state user-modify-playback-state',
    });
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('stores the tokens, the display name and the guild the state was bound to', async () => {
    rig = await spotifyRig();
    rig.fake.user.displayName = 'DJ Streamer';
    const back = await approve(rig.service.startLink(G, ADMIN).authorizeUrl);
    expect(await finish(rig, back)).toEqual({ guildId: G, userId: ADMIN, displayName: 'DJ Streamer' });
    const account = await rig.tokens.get(G);
    expect(account).toMatchObject({ guildId: G, displayName: 'DJ Streamer', deviceId: null });
    expect(rig.fake.accessTokens.has(account!.accessToken)).toBe(true);
    expect(rig.fake.refreshTokens.has(account!.refreshToken)).toBe(true);
    const [exchange] = rig.fake.calls.filter((c) => c.path === '/api/token');
    expect(exchange).toMatchObject({
      clientAuth: 'body',
      body: { grant_type: 'authorization_code', client_id: rig.fake.clientId, redirect_uri: REDIRECT_URI },
    });
  });

  it('is refused by the accounts service when the verifier does not match the challenge', async () => {
    rig = await spotifyRig();
    const { authorizeUrl } = rig.service.startLink(G, ADMIN);
    const tampered = new URL(authorizeUrl);
    tampered.searchParams.set(
      'code_challenge',
      pkceChallenge('some-other-verifier-of-enough-length-0123456789'),
    );
    const back = await approve(tampered.toString());
    const err = await finish(rig, back).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_INPUT' });
    expect(rig.fake.trail).toContain('POST /api/token authorization_code 400');
    expect(await rig.tokens.get(G)).toBeNull();
  });

  it('refuses a code exchanged with a wrong verifier, at the accounts client', async () => {
    rig = await spotifyRig();
    const back = await approve(rig.service.startLink(G, ADMIN).authorizeUrl);
    await expect(
      rig.accounts.exchangeCode(back.searchParams.get('code')!, 'x'.repeat(60)),
    ).rejects.toBeInstanceOf(InvalidGrantError);
  });

  it('refuses a state used twice, without a second token request', async () => {
    rig = await spotifyRig();
    const back = await approve(rig.service.startLink(G, ADMIN).authorizeUrl);
    await finish(rig, back);
    const tokenCalls = rig.fake.calls.length;
    const err = await finish(rig, back).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('INVALID_INPUT');
    expect((err as UserError).message).toMatch(/already used or has expired/);
    expect(rig.fake.calls).toHaveLength(tokenCalls);
  });

  it('refuses a state after ten minutes, without a token request', async () => {
    rig = await spotifyRig();
    const back = await approve(rig.service.startLink(G, ADMIN).authorizeUrl);
    rig.clock.advance(LINK_STATE_TTL_MS);
    await expect(finish(rig, back)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(rig.fake.trail.some((c) => c.startsWith('POST /api/token'))).toBe(false);
    expect(await rig.tokens.get(G)).toBeNull();
  });

  it('changes nothing when the admin declines at Spotify', async () => {
    rig = await spotifyRig();
    rig.fake.declineNext = true;
    const back = await approve(rig.service.startLink(G, ADMIN).authorizeUrl);
    expect(back.searchParams.get('error')).toBe('access_denied');
    await expect(finish(rig, back)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await rig.tokens.get(G)).toBeNull();
  });

  it('unlinks: the tokens are gone and the status says so', async () => {
    rig = await spotifyRig();
    await link(rig, G);
    expect(await rig.service.unlink(G)).toBe(true);
    expect(await rig.service.unlink(G)).toBe(false);
    expect(await rig.service.status(G)).toMatchObject({ linked: false });
  });
});

describe('playback on the linked account', () => {
  let rig: SpotifyRig;
  let desk: FakeDevice;
  let phone: FakeDevice;
  afterEach(() => rig?.close());

  async function ready() {
    rig = await spotifyRig();
    desk = rig.fake.addDevice('Desk PC');
    phone = rig.fake.addDevice('Phone', 'Smartphone');
    await link(rig, G);
  }
  const track = (seed: string, extra = {}) => rig.fake.catalog.addTrack({ id: spotifyId(seed), ...extra });

  it('reports linked, the name, the devices and the chosen device', async () => {
    await ready();
    expect(await rig.service.status(G)).toEqual({
      linked: true,
      displayName: 'Stream Account',
      devices: [
        { id: desk.id, name: 'Desk PC', type: 'Computer', isActive: false },
        { id: phone.id, name: 'Phone', type: 'Smartphone', isActive: false },
      ],
      deviceId: null,
    });
    await rig.service.setDevice(G, 'desk pc');
    expect((await rig.service.status(G)).deviceId).toBe(desk.id);
  });

  it('refuses a device the account does not have, naming those it has', async () => {
    await ready();
    await expect(rig.service.setDevice(G, 'Kitchen')).rejects.toThrow(/Devices now: Desk PC, Phone/);
  });

  it('sends play, pause, resume and next to the chosen device, in order', async () => {
    await ready();
    await rig.service.setDevice(G, phone.id);
    rig.fake.calls.length = 0;
    const one = track('one');
    const two = track('two');
    await rig.service.play(G, `spotify:track:${one.id}`);
    await rig.service.pause(G);
    await rig.service.resume(G);
    await rig.service.play(G, `spotify:track:${two.id}`, 30_000);
    await rig.service.next(G);
    expect(phone.commands).toEqual([
      `play spotify:track:${one.id}`,
      'pause',
      'resume',
      `play spotify:track:${two.id}`,
      'next',
    ]);
    expect(desk.commands).toEqual([]);
    const player = rig.fake.calls.filter((c) => c.path.startsWith('/v1/me/player/'));
    expect(player.map((c) => c.query.device_id)).toEqual(Array(5).fill(phone.id));
    expect(player[0]?.body).toEqual({ uris: [`spotify:track:${one.id}`] });
    expect(player[2]?.body).toBeNull();
    expect(player[3]?.body).toEqual({ uris: [`spotify:track:${two.id}`], position_ms: 30_000 });
  });

  it('says how to fix it when no device is active and none was chosen', async () => {
    await ready();
    await expect(rig.service.play(G, `spotify:track:${track('x').id}`)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/Open Spotify/),
    });
  });

  it('shows the playing track, and sees the device end it', async () => {
    await ready();
    await rig.service.setDevice(G, desk.id);
    const song = track('song', { name: 'Tone A', artists: ['Band'], durationMs: 200_000 });
    expect(await rig.service.currentPlayback(G)).toBeNull();
    await rig.service.play(G, `spotify:track:${song.id}`);
    rig.clock.advance(50_000);
    expect(await rig.service.currentPlayback(G)).toMatchObject({
      isPlaying: true,
      progressMs: 50_000,
      device: { id: desk.id, isActive: true },
      track: { id: song.id, title: 'Tone A', artists: ['Band'], durationMs: 200_000 },
    });
    const ended = once(desk, 'ended');
    desk.endTrack();
    await ended;
    expect(await rig.service.currentPlayback(G)).toMatchObject({ isPlaying: false, progressMs: 0 });
  });

  it('refuses a URI that is not a track before calling Spotify', async () => {
    await ready();
    rig.fake.calls.length = 0;
    await expect(rig.service.play(G, 'spotify:album:abc')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(rig.fake.calls).toEqual([]);
  });
});

describe('metadata through the linked account', () => {
  let rig: SpotifyRig;
  afterEach(() => rig?.close());

  it('reads a track from GET /tracks/{id} with the ISRC', async () => {
    rig = await spotifyRig();
    await link(rig, G);
    const t = rig.fake.catalog.addTrack({ id: spotifyId('meta'), name: 'Meta', isrc: 'USRC17607839' });
    expect(await rig.service.getTrack(G, t.id)).toMatchObject({
      id: t.id,
      title: 'Meta',
      isrc: 'USRC17607839',
    });
    expect(rig.fake.trail.at(-1)).toBe(`GET /v1/tracks/${t.id} 200`);
  });

  it('answers NOT_FOUND for a track Spotify does not have', async () => {
    rig = await spotifyRig();
    await link(rig, G);
    await expect(rig.service.getTrack(G, spotifyId('missing'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reads an album past its first page, with the album name and artwork, up to the limit', async () => {
    rig = await spotifyRig();
    await link(rig, G);
    const ids = Array.from(
      { length: 70 },
      (_, i) => rig.fake.catalog.addTrack({ id: spotifyId(`al${i}`) }).id,
    );
    rig.fake.catalog.addAlbum({ id: spotifyId('album'), name: 'Long Album', trackIds: ids });
    const all = await rig.service.getAlbumTracks(G, spotifyId('album'), 100);
    expect(all.map((t) => t.id)).toEqual(ids);
    expect(all[69]).toMatchObject({ album: 'Long Album', artworkUrl: expect.stringContaining('/album/') });
    expect(await rig.service.getAlbumTracks(G, spotifyId('album'), 10)).toHaveLength(10);
  });

  it('reads a playlist from /items, skipping local files, up to the limit', async () => {
    rig = await spotifyRig();
    await link(rig, G);
    const ids = Array.from(
      { length: 60 },
      (_, i) => rig.fake.catalog.addTrack({ id: spotifyId(`pl${i}`) }).id,
    );
    rig.fake.catalog.addPlaylist({
      id: spotifyId('list'),
      name: 'Mix',
      trackIds: [ids[0]!, null, ...ids.slice(1)],
    });
    const totals: number[] = [];
    const tracks = await rig.service.getPlaylistTracks(G, spotifyId('list'), 100, (n) => totals.push(n));
    expect(tracks.map((t) => t.id)).toEqual(ids);
    // The whole playlist's size, once, from the first page: an import says how many it left out.
    expect(totals).toEqual([61]);
    const firstTen: number[] = [];
    expect(
      await rig.service.getPlaylistTracks(G, spotifyId('list'), 10, (n) => firstTen.push(n)),
    ).toHaveLength(10);
    expect(firstTen).toEqual([61]);
    expect(rig.fake.trail.filter((c) => c.includes('/playlists/'))).toEqual([
      `GET /v1/playlists/${spotifyId('list')}/items 200`,
      `GET /v1/playlists/${spotifyId('list')}/items 200`,
      `GET /v1/playlists/${spotifyId('list')}/items 200`,
    ]);
  });

  it('searches tracks, asking for 10 at most', async () => {
    rig = await spotifyRig();
    await link(rig, G);
    for (let i = 0; i < 15; i += 1) rig.fake.catalog.addTrack({ id: spotifyId(`s${i}`), name: `Blue ${i}` });
    rig.fake.catalog.addTrack({ id: spotifyId('red'), name: 'Red' });
    const found = await rig.service.search(G, 'blue', 25);
    expect(found).toHaveLength(10);
    expect(found.every((t) => t.title.startsWith('Blue'))).toBe(true);
    expect(rig.fake.calls.at(-1)?.query).toMatchObject({ q: 'blue', type: 'track', limit: '10' });
  });
});
