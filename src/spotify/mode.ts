import type { SpotifyMode } from '../storage/db/guild-settings.ts';
import type { SpotifyService } from './service.ts';

/**
 * The guild's Spotify mode: its `spotify_mode` setting, else automatic: `device` once an account is
 * linked, `voice` before.
 */
export function spotifyModeOf(deps: {
  settings: { get(guildId: string): Promise<{ spotifyMode?: SpotifyMode }> };
  spotify: Pick<SpotifyService, 'isLinked'>;
}): (guildId: string) => Promise<SpotifyMode> {
  return async (guildId) => {
    const chosen = (await deps.settings.get(guildId)).spotifyMode;
    if (chosen) return chosen;
    return (await deps.spotify.isLinked(guildId)) ? 'device' : 'voice';
  };
}

/** What the /spotify command needs: the service's account methods and the guild's mode. */
export function spotifyCommandPort(service: SpotifyService, mode: (guildId: string) => Promise<SpotifyMode>) {
  return {
    startLink: (guildId: string, userId: string | null) => service.startLink(guildId, userId),
    unlink: (guildId: string) => service.unlink(guildId),
    status: (guildId: string) => service.status(guildId),
    devices: (guildId: string) => service.devices(guildId),
    setDevice: (guildId: string, idOrName: string | null) => service.setDevice(guildId, idOrName),
    mode,
  };
}
