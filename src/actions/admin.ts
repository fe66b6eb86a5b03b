import { UserError } from '../core/errors.ts';
import type { SpotifyDevice, SpotifyStatus } from '../spotify/service.ts';
import {
  checkSettingsAfter,
  type GuildSettings,
  type GuildSettingsPatch,
  type SpotifyMode,
} from '../storage/db/guild-settings.ts';
import { type DjRoleOf, defineAction } from './define.ts';
import type { OverlayKeyPort, SettingsPort, SpotifyPort } from './ports.ts';

export interface AdminActionsDeps {
  settings: SettingsPort;
  overlay: OverlayKeyPort;
  /** Null when Spotify is not configured (no SPOTIFY_CLIENT_ID). */
  spotify: SpotifyPort | null;
  djRoleOf: DjRoleOf;
}

/** A guild's settings, its overlay link and its Spotify account. */
export function adminActions(deps: AdminActionsDeps) {
  const { settings, djRoleOf } = deps;
  const act = <I, O>(
    permission: Parameters<typeof defineAction>[0],
    run: Parameters<typeof defineAction<I, O>>[2],
  ) => defineAction<I, O>(permission, djRoleOf, run);
  const spotify = (): SpotifyPort => {
    if (!deps.spotify) {
      throw new UserError(
        'UNAVAILABLE',
        'Spotify is not set up on this bot (its owner sets SPOTIFY_CLIENT_ID to turn it on).',
      );
    }
    return deps.spotify;
  };
  return {
    settings: act<void, GuildSettings>('admin', (call) => settings.get(call.guildId)),
    /** @throws UserError INVALID_INPUT */
    updateSettings: act<GuildSettingsPatch, GuildSettings>('admin', async (call, patch) => {
      const current = await settings.get(call.guildId);
      if (Object.keys(patch).length === 0) return current;
      checkSettingsAfter(current, patch);
      return settings.update(call.guildId, patch);
    }),
    /**
     * The overlay link; the first call creates the key, every call after rotates it (the previous link
     * stops working at once). `rotated`: an older link existed.
     */
    overlayLink: act<void, { url: string; key: string; rotated: boolean }>('admin', async (call) => {
      const rotated = await deps.overlay.hasKey(call.guildId);
      return { ...(await deps.overlay.issue(call.guildId)), rotated };
    }),
    /** A single-use link (10 minutes) that links a Spotify account to the guild. */
    spotifyLink: act<void, { authorizeUrl: string }>('admin', async (call) => {
      const { authorizeUrl } = spotify().startLink(call.guildId, call.actor.userId);
      return { authorizeUrl };
    }),
    /** Whether an account was linked. */
    spotifyUnlink: act<void, boolean>('admin', (call) => spotify().unlink(call.guildId)),
    spotifyStatus: act<void, SpotifyStatus & { mode: SpotifyMode }>('dj', async (call) => {
      const port = spotify();
      const [status, mode] = await Promise.all([port.status(call.guildId), port.mode(call.guildId)]);
      return { ...status, mode };
    }),
    spotifyDevices: act<void, { devices: SpotifyDevice[]; chosenId: string | null }>('dj', async (call) => {
      const port = spotify();
      const [devices, status] = await Promise.all([port.devices(call.guildId), port.status(call.guildId)]);
      return { devices, chosenId: status.deviceId };
    }),
    /** Chooses the device songs play on, by id or name (null: whichever is active). */
    spotifyDevice: act<{ device: string | null }, SpotifyDevice | null>('dj', (call, input) =>
      spotify().setDevice(call.guildId, input.device),
    ),
  };
}

export type AdminActions = ReturnType<typeof adminActions>;
