import type { Clock } from '../core/clock.ts';
import { isUserError, UserError } from '../core/errors.ts';
import { isSnowflake } from '../core/ids.ts';
import type { Logger } from '../core/logger.ts';
import type { SpotifyTokenRepository } from '../storage/db/spotify-tokens.ts';
import { InvalidGrantError, type SpotifyAccounts } from './accounts.ts';
import {
  type ApiTrack,
  fromApiTrack,
  getAlbumTracks,
  getPlaylistTracks,
  getTrack,
  type SpotifyTrack,
  searchTracks,
} from './catalog.ts';
import type { SpotifyWebApi } from './client.ts';
import type { LinkStates } from './link-states.ts';
import { isTrackUri } from './links.ts';
import { createPkcePair } from './pkce.ts';

export interface SpotifyDevice {
  id: string;
  name: string;
  type: string;
  isActive: boolean;
}

export interface SpotifyStatus {
  linked: boolean;
  displayName: string | null;
  devices: SpotifyDevice[];
  /** The chosen device; null: the account's active one. */
  deviceId: string | null;
}

export interface SpotifyPlayback {
  isPlaying: boolean;
  progressMs: number;
  device: SpotifyDevice | null;
  /** Null when nothing (or an episode or ad) is loaded. */
  track: SpotifyTrack | null;
}

export interface SpotifyServiceOptions {
  accounts: Pick<SpotifyAccounts, 'authorizeUrl' | 'exchangeCode'>;
  tokens: SpotifyTokenRepository;
  states: LinkStates;
  api: SpotifyWebApi;
  clock: Clock;
  logger: Logger;
}

const UNLINKED: SpotifyStatus = { linked: false, displayName: null, devices: [], deviceId: null };
const REFUSED_ACCOUNT =
  'Spotify refused this account. An app in development mode only accepts the accounts listed under ' +
  'User Management in its Spotify dashboard.';
const BAD_STATE =
  'This Spotify link is unknown, was already used or has expired. Ask for a new one with /spotify link.';

/**
 * Each guild's linked Spotify account: linking (authorization code with PKCE), status and devices,
 * playback control on the chosen device, and track metadata through the account's token.
 */
export class SpotifyService {
  private readonly o: SpotifyServiceOptions;

  constructor(options: SpotifyServiceOptions) {
    this.o = options;
  }

  /**
   * Starts a link: the URL to open at Spotify, good once and for ten minutes, for this guild and user.
   */
  startLink(guildId: string, userId: string | null): { authorizeUrl: string; expiresAt: number } {
    if (!isSnowflake(guildId) || (userId !== null && !isSnowflake(userId))) {
      throw new UserError('INVALID_INPUT', 'Linking Spotify needs a server id and a member id.');
    }
    const pkce = createPkcePair();
    const { state, expiresAt } = this.o.states.create(guildId, userId, pkce.verifier);
    return { authorizeUrl: this.o.accounts.authorizeUrl(state, pkce.challenge), expiresAt };
  }

  /**
   * Finishes a link from Spotify's redirect: checks the state (before anything is sent to Spotify),
   * trades the code for tokens, reads the account's name and stores the link (replacing any other).
   * @throws UserError INVALID_INPUT for an unknown, used or expired state, a declined approval or a
   *   refused code; FORBIDDEN when Spotify refuses the account; UPSTREAM_ERROR.
   */
  async finishLink(input: {
    state: string | null;
    code: string | null;
    error: string | null;
  }): Promise<{ guildId: string; userId: string | null; displayName: string | null }> {
    const pending = input.state ? this.o.states.consume(input.state) : null;
    if (!pending) throw new UserError('INVALID_INPUT', BAD_STATE);
    const log = this.o.logger.child({ guildId: pending.guildId });
    if (input.error || !input.code) {
      log.info({ error: input.error }, 'Spotify link declined');
      throw new UserError('INVALID_INPUT', 'Spotify did not approve the link, so nothing changed.');
    }
    let grant: Awaited<ReturnType<SpotifyAccounts['exchangeCode']>>;
    try {
      grant = await this.o.accounts.exchangeCode(input.code, pending.verifier);
    } catch (err) {
      if (!(err instanceof InvalidGrantError)) throw err;
      log.warn({ reason: err.message }, 'Spotify refused the authorization code');
      throw new UserError('INVALID_INPUT', 'Spotify did not accept this approval. Ask for a new link.');
    }
    const me = await this.o.api
      .requestWithToken<{ display_name?: string | null; id?: string }>(grant.accessToken, {
        method: 'GET',
        path: '/me',
      })
      .catch((err: unknown) => {
        if (isUserError(err) && err.code === 'FORBIDDEN') throw new UserError('FORBIDDEN', REFUSED_ACCOUNT);
        throw err;
      });
    const displayName = me?.display_name || me?.id || null;
    await this.o.tokens.link({
      guildId: pending.guildId,
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken ?? '',
      expiresAt: this.o.clock.now() + grant.expiresIn * 1000,
      scope: grant.scope,
      displayName,
      deviceId: null,
    });
    log.info({ userId: pending.userId, displayName }, 'Spotify account linked');
    return { guildId: pending.guildId, userId: pending.userId, displayName };
  }

  /** Whether an account is linked, its name and its devices; never throws for Spotify's sake. */
  async status(guildId: string): Promise<SpotifyStatus> {
    const account = await this.o.tokens.get(guildId).catch(notLinkedAsNull);
    if (!account) return { ...UNLINKED };
    let devices: SpotifyDevice[] = [];
    try {
      devices = await this.devices(guildId);
    } catch (err) {
      if (isUserError(err) && err.code === 'SPOTIFY_NOT_LINKED') return { ...UNLINKED };
      this.o.logger.warn({ guildId, err: errText(err) }, 'Spotify devices could not be read for the status');
    }
    return { linked: true, displayName: account.displayName, devices, deviceId: account.deviceId };
  }

  /** Whether the guild has a linked account (asks the database, not Spotify). */
  async isLinked(guildId: string): Promise<boolean> {
    return (await this.o.tokens.get(guildId).catch(notLinkedAsNull)) !== null;
  }

  /** The account's devices now. @throws UserError SPOTIFY_NOT_LINKED, UPSTREAM_ERROR, ... */
  async devices(guildId: string): Promise<SpotifyDevice[]> {
    const answer = await this.o.api.request<{ devices?: ApiDevice[] }>(guildId, {
      method: 'GET',
      path: '/me/player/devices',
    });
    return (answer?.devices ?? []).map(fromApiDevice).filter((d): d is SpotifyDevice => d !== null);
  }

  /**
   * Chooses the device playback goes to, by id or by name (any case); null goes back to the active one.
   * @throws UserError NOT_FOUND naming the devices there are; SPOTIFY_NOT_LINKED
   */
  async setDevice(guildId: string, idOrName: string | null): Promise<SpotifyDevice | null> {
    if (idOrName === null) {
      if (!(await this.o.tokens.setDevice(guildId, null)))
        throw new UserError('SPOTIFY_NOT_LINKED', 'No Spotify account is linked to this server.');
      return null;
    }
    const devices = await this.devices(guildId);
    const wanted = idOrName.trim().toLowerCase();
    const device =
      devices.find((d) => d.id === idOrName) ?? devices.find((d) => d.name.toLowerCase() === wanted) ?? null;
    if (!device) {
      const names = devices.map((d) => d.name).join(', ');
      throw new UserError(
        'NOT_FOUND',
        devices.length
          ? `No Spotify device is called "${idOrName}". Devices now: ${names}.`
          : 'Spotify shows no device for this account. Open Spotify on the device you stream from first.',
      );
    }
    if (!(await this.o.tokens.setDevice(guildId, device.id)))
      throw new UserError('SPOTIFY_NOT_LINKED', 'No Spotify account is linked to this server.');
    return device;
  }

  /** Deletes the guild's link; false when none was there. */
  async unlink(guildId: string): Promise<boolean> {
    const removed = await this.o.tokens.delete(guildId);
    if (removed) this.o.logger.info({ guildId }, 'Spotify account unlinked');
    return removed;
  }

  /**
   * Plays a track on the chosen device (`PUT /me/player/play?device_id=`), from `positionMs`.
   * @throws UserError INVALID_INPUT for a URI that is not `spotify:track:<id>`; as {@link devices}
   */
  async play(guildId: string, uri: string, positionMs?: number): Promise<void> {
    if (!isTrackUri(uri)) throw new UserError('INVALID_INPUT', 'That is not a Spotify track.');
    const body = positionMs ? { uris: [uri], position_ms: Math.floor(positionMs) } : { uris: [uri] };
    await this.player(guildId, 'PUT', '/me/player/play', body);
  }

  async pause(guildId: string): Promise<void> {
    await this.player(guildId, 'PUT', '/me/player/pause');
  }

  /** Resumes where the device paused (no body). */
  async resume(guildId: string): Promise<void> {
    await this.player(guildId, 'PUT', '/me/player/play');
  }

  async next(guildId: string): Promise<void> {
    await this.player(guildId, 'POST', '/me/player/next');
  }

  /** What the account plays now (`GET /me/player`); null when no device is active. */
  async currentPlayback(guildId: string): Promise<SpotifyPlayback | null> {
    const p = await this.o.api.request<{
      is_playing?: boolean;
      progress_ms?: number | null;
      device?: ApiDevice;
      item?: ApiTrack | null;
    }>(guildId, { method: 'GET', path: '/me/player' });
    if (!p) return null;
    return {
      isPlaying: p.is_playing === true,
      progressMs: p.progress_ms ?? 0,
      device: p.device ? fromApiDevice(p.device) : null,
      track: fromApiTrack(p.item),
    };
  }

  getTrack(guildId: string, id: string): Promise<SpotifyTrack> {
    return getTrack(this.o.api, guildId, id);
  }

  getAlbumTracks(guildId: string, id: string, limit: number): Promise<SpotifyTrack[]> {
    return getAlbumTracks(this.o.api, guildId, id, limit);
  }

  getPlaylistTracks(
    guildId: string,
    id: string,
    limit: number,
    onTotal?: (total: number) => void,
  ): Promise<SpotifyTrack[]> {
    return getPlaylistTracks(this.o.api, guildId, id, limit, onTotal);
  }

  search(guildId: string, query: string, limit: number): Promise<SpotifyTrack[]> {
    return searchTracks(this.o.api, guildId, query, limit);
  }

  private async player(guildId: string, method: 'PUT' | 'POST', path: string, body?: unknown): Promise<void> {
    const account = await this.o.tokens.get(guildId);
    await this.o.api.request(guildId, {
      method,
      path,
      query: { device_id: account?.deviceId },
      ...(body !== undefined && { body }),
    });
  }
}

interface ApiDevice {
  id?: string | null;
  name?: string;
  type?: string;
  is_active?: boolean;
}

function fromApiDevice(d: ApiDevice): SpotifyDevice | null {
  if (!d.id) return null; // a restricted device has no id and cannot be controlled
  return { id: d.id, name: d.name ?? d.id, type: d.type ?? 'Unknown', isActive: d.is_active === true };
}

function notLinkedAsNull(err: unknown): null {
  if (isUserError(err) && err.code === 'SPOTIFY_NOT_LINKED') return null;
  throw err;
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
