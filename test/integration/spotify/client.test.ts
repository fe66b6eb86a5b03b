import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.ts';
import { REFRESH_AHEAD_MS } from '../../../src/spotify/client.ts';
import type { Call } from '../../fakes/spotify/index.ts';
import { snowflake } from '../../support/tracks.ts';
import { link, type RigOptions, type SpotifyRig, spotifyRig } from './harness.ts';

const G = snowflake(1);
const HOUR = 3600 * 1000;
const DEVICES = 'GET /v1/me/player/devices';

describe('Spotify Web API client', () => {
  let rig: SpotifyRig;
  afterEach(() => rig?.close());

  /** A linked guild, with the fake's record starting after the link. */
  async function linked(options: RigOptions = {}) {
    rig = await spotifyRig(options);
    rig.fake.addDevice('Desk');
    await link(rig, G);
    rig.fake.calls.length = 0;
    return rig;
  }

  describe('refresh ahead of expiry', () => {
    it('refreshes before the call when the token expires within 300 s', async () => {
      await linked();
      rig.clock.advance(HOUR - REFRESH_AHEAD_MS);
      await rig.service.devices(G);
      expect(rig.fake.trail).toEqual(['POST /api/token refresh_token 200', `${DEVICES} 200`]);
      const account = await rig.tokens.get(G);
      expect(account?.expiresAt).toBe(rig.clock.now() + HOUR);
    });

    it('does not refresh a token with more than 300 s left', async () => {
      await linked();
      rig.clock.advance(HOUR - REFRESH_AHEAD_MS - 1_000);
      await rig.service.devices(G);
      expect(rig.fake.trail).toEqual([`${DEVICES} 200`]);
    });

    it('keeps the old refresh token when the answer carries none', async () => {
      await linked();
      const before = await rig.tokens.get(G);
      rig.clock.advance(HOUR);
      await rig.service.devices(G);
      const after = await rig.tokens.get(G);
      expect(after?.refreshToken).toBe(before?.refreshToken);
      expect(after?.accessToken).not.toBe(before?.accessToken);
    });

    it('stores a new refresh token when the answer carries one (the old one stops working)', async () => {
      await linked({ rotateRefreshTokens: true });
      const before = await rig.tokens.get(G);
      rig.clock.advance(HOUR);
      await rig.service.devices(G);
      const rotated = await rig.tokens.get(G);
      expect(rotated?.refreshToken).not.toBe(before?.refreshToken);
      // Only the stored new token can make this second refresh work.
      rig.clock.advance(HOUR);
      await rig.service.devices(G);
      expect(rig.fake.trail.filter((c) => c.startsWith('POST'))).toEqual([
        'POST /api/token refresh_token 200',
        'POST /api/token refresh_token 200',
      ]);
    });

    it('shares one refresh among concurrent calls', async () => {
      await linked();
      rig.clock.advance(HOUR);
      await Promise.all(Array.from({ length: 5 }, () => rig.service.devices(G)));
      expect(rig.fake.trail.filter((c) => c.startsWith('POST /api/token'))).toHaveLength(1);
    });

    it('sends client_id in the form body without a client secret, and HTTP Basic with one', async () => {
      await linked();
      rig.clock.advance(HOUR);
      await rig.service.devices(G);
      const [publicClient] = rig.fake.calls.filter((c) => c.path === '/api/token');
      expect(publicClient).toMatchObject({ clientAuth: 'body', body: { client_id: rig.fake.clientId } });
      await rig.close();

      await linked({ clientSecret: 'fake-secret' });
      rig.clock.advance(HOUR);
      await rig.service.devices(G);
      const [confidential] = rig.fake.calls.filter((c) => c.path === '/api/token');
      expect(confidential?.clientAuth).toBe('basic');
      expect(confidential?.body).not.toHaveProperty('client_id');
    });
  });

  describe('401', () => {
    it('refreshes and retries the same request exactly once', async () => {
      await linked();
      rig.fake.failNext({ status: 401 });
      const devices = await rig.service.devices(G);
      expect(devices.map((d) => d.name)).toEqual(['Desk']);
      expect(rig.fake.trail).toEqual([
        `${DEVICES} 401`,
        'POST /api/token refresh_token 200',
        `${DEVICES} 200`,
      ]);
    });

    it('gives up on a second 401 without another refresh or retry', async () => {
      await linked();
      rig.fake.failNext({ status: 401 }, { status: 401 }, { status: 401 });
      const err = await rig.service.devices(G).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).code).toBe('UPSTREAM_ERROR');
      expect(rig.fake.trail).toEqual([
        `${DEVICES} 401`,
        'POST /api/token refresh_token 200',
        `${DEVICES} 401`,
      ]);
    });
  });

  describe('429', () => {
    it('waits for Retry-After, then sends the same request again by itself', async () => {
      await linked();
      await rig.service.setDevice(G, 'Desk');
      rig.fake.calls.length = 0;
      rig.fake.failNext({ status: 429, retryAfter: 1 });
      await rig.service.play(G, `spotify:track:${rig.fake.catalog.addTrack({ id: 'a'.repeat(22) }).id}`);
      expect(rig.fake.trail).toEqual(['PUT /v1/me/player/play 429', 'PUT /v1/me/player/play 204']);
      const [first, second] = rig.fake.calls;
      expect(second?.body).toEqual(first?.body);
      expect(second?.query).toEqual(first?.query);
    });

    it('waits what Spotify asks, at most 30 s', async () => {
      await linked({ recordWaits: true });
      rig.fake.failNext({ status: 429, retryAfter: 2 }, { status: 429, retryAfter: 3600 });
      await rig.service.devices(G);
      expect(rig.waits).toEqual([2_000, 30_000]);
      expect(rig.fake.trail).toEqual([`${DEVICES} 429`, `${DEVICES} 429`, `${DEVICES} 200`]);
    });

    it('gives up with RATE_LIMITED after three waits', async () => {
      await linked({ recordWaits: true });
      rig.fake.failNext(...Array.from({ length: 5 }, () => ({ status: 429, retryAfter: 1 })));
      await expect(rig.service.devices(G)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
      expect(rig.fake.calls).toHaveLength(4);
    });

    it('ends a wait at once when the client closes (shutdown)', async () => {
      await linked();
      rig.fake.failNext({ status: 429, retryAfter: 30 });
      const limited = once(rig.fake, 'call') as Promise<[Call]>;
      const call = rig.service.devices(G).catch((e: unknown) => e);
      await limited;
      rig.api.close();
      expect(await call).toMatchObject({ code: 'UNAVAILABLE' });
      expect(rig.fake.calls).toHaveLength(1);
    });
  });

  describe('invalid_grant', () => {
    it('deletes the tokens, says the account is unlinked and tells who listens', async () => {
      await linked();
      rig.fake.revokeRefreshTokens();
      rig.clock.advance(HOUR);
      const err = await rig.service.devices(G).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).code).toBe('SPOTIFY_NOT_LINKED');
      expect((err as UserError).status).toBe(409);
      expect((err as UserError).message).toMatch(/link the account again/);
      expect(await rig.tokens.get(G)).toBeNull();
      expect(rig.unlinked).toEqual([G]);
      expect(await rig.service.status(G)).toEqual({
        linked: false,
        displayName: null,
        devices: [],
        deviceId: null,
      });
      expect(rig.fake.trail).toEqual(['POST /api/token refresh_token 400']);
    });

    it('unlinks when a 401 leads to a refused refresh', async () => {
      await linked();
      rig.fake.revokeRefreshTokens();
      rig.fake.expireAccessTokens();
      await expect(rig.service.pause(G)).rejects.toMatchObject({ code: 'SPOTIFY_NOT_LINKED' });
      expect(await rig.tokens.get(G)).toBeNull();
      expect(rig.fake.trail).toEqual(['PUT /v1/me/player/pause 401', 'POST /api/token refresh_token 400']);
    });
  });

  it('refuses a guild with no link before calling Spotify', async () => {
    rig = await spotifyRig();
    await expect(rig.service.devices(snowflake(404))).rejects.toMatchObject({ code: 'SPOTIFY_NOT_LINKED' });
    expect(rig.fake.calls).toEqual([]);
  });
});
