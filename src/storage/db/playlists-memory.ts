import {
  byOwnerAndName,
  durationOf,
  type Playlist,
  type PlaylistOwner,
  type PlaylistRepository,
  type PlaylistSummary,
  parseOwner,
  parsePlaylistName,
  parsePlaylistTracks,
  playlistCap,
  playlistExists,
  playlistLimit,
} from './playlists.ts';
import { parseGuildId } from './validate.ts';

/** Saved playlists in memory, with the same checks and refusals as the PostgreSQL repository. */
export class MemoryPlaylistRepository implements PlaylistRepository {
  /** guild id -> owner -> lower-cased name -> playlist */
  private readonly guilds = new Map<string, Map<string, Map<string, Playlist>>>();

  async list(guildId: string, memberId: string | null): Promise<PlaylistSummary[]> {
    const owners = memberId === null ? ['guild'] : ['guild', parseOwner(memberId)];
    const guild = this.guilds.get(parseGuildId(guildId));
    return owners
      .flatMap((o) => [...(guild?.get(o)?.values() ?? [])])
      .map(({ tracks: _, ...summary }) => summary)
      .sort(byOwnerAndName);
  }

  async get(guildId: string, owner: PlaylistOwner, name: string): Promise<Playlist | null> {
    const found = this.owned(guildId, owner).get(parsePlaylistName(name).toLowerCase());
    return found ? structuredClone(found) : null;
  }

  async create(
    guildId: string,
    input: { owner: PlaylistOwner; name: string; createdBy: string; tracks: unknown },
  ): Promise<Playlist> {
    const id = parseGuildId(guildId);
    const owner = parseOwner(input.owner);
    const name = parsePlaylistName(input.name);
    const createdBy = parseOwner(input.createdBy);
    const tracks = parsePlaylistTracks(input.tracks);
    const owned = this.owned(id, owner);
    const taken = owned.get(name.toLowerCase());
    if (taken) throw playlistExists(taken.name);
    const cap = playlistCap(owner);
    if (owned.size >= cap) {
      throw playlistLimit(owner);
    }
    const playlist: Playlist = {
      name,
      owner,
      createdBy,
      trackCount: tracks.length,
      durationMs: durationOf(tracks),
      createdAt: new Date().toISOString(),
      tracks,
    };
    owned.set(name.toLowerCase(), playlist);
    return structuredClone(playlist);
  }

  async remove(guildId: string, owner: PlaylistOwner, name: string): Promise<boolean> {
    return this.owned(guildId, owner).delete(parsePlaylistName(name).toLowerCase());
  }

  private owned(guildId: string, owner: PlaylistOwner): Map<string, Playlist> {
    const id = parseGuildId(guildId);
    const o = parseOwner(owner);
    const guild = this.guilds.get(id) ?? new Map<string, Map<string, Playlist>>();
    this.guilds.set(id, guild);
    const owned = guild.get(o) ?? new Map<string, Playlist>();
    guild.set(o, owned);
    return owned;
  }
}
