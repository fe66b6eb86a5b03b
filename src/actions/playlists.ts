import { UserError } from '../core/errors.ts';
import { isSnowflake } from '../core/ids.ts';
import type { Track } from '../core/track.ts';
import {
  PLAYLIST_LIMITS,
  type Playlist,
  type PlaylistOwner,
  type PlaylistRepository,
  type PlaylistSummary,
  parsePlaylistName,
} from '../storage/db/playlists.ts';
import { allowed, type Call } from './actor.ts';
import { type AddDeps, type AddResult, addFromQuery } from './add.ts';
import { type DjRoleOf, defineAction } from './define.ts';

/** Whose playlist: the guild's, or the asking member's own. */
export type PlaylistScope = 'guild' | 'me';

export interface PlaylistActionsDeps extends AddDeps {
  playlists: PlaylistRepository;
  djRoleOf: DjRoleOf;
}

/** What a save or an import kept, and what did not fit. */
export interface SaveResult {
  playlist: PlaylistSummary;
  /**
   * Tracks left out past the cap of {@link PLAYLIST_LIMITS.tracks}. An import reads one track past the
   * cap and takes the count from the provider (YouTube Data API, Spotify); a provider that gives none
   * leaves `leftOut` null with `leftOutAtLeast` 1.
   */
  leftOut: number | null;
  leftOutAtLeast: number;
}

export interface LoadResult {
  playlist: PlaylistSummary;
  /** The shared add's result: what was queued, how many were not and why. */
  add: AddResult;
}

/** A scope named for a lookup, or (none named) the member's own first, then the guild's. */
interface Named {
  name: string;
  scope?: PlaylistScope | undefined;
}

/**
 * Saved playlists: save the queue or the history, import a provider's playlist, list, show, delete,
 * and load one into the queue through the shared add (`addFromQuery`), so that the queue's limits and
 * request rules apply to a loaded playlist as they do to /play.
 */
export function playlistActions(deps: PlaylistActionsDeps) {
  const { playlists, queue, djRoleOf } = deps;
  const act = <I, O>(
    permission: Parameters<typeof defineAction>[0],
    run: Parameters<typeof defineAction<I, O>>[2],
  ) => defineAction<I, O>(permission, djRoleOf, run);

  /** The playlist a name means for this actor. @throws UserError PLAYLIST_NOT_FOUND, INVALID_INPUT */
  const find = async (call: Call, input: Named): Promise<Playlist> => {
    const name = parsePlaylistName(input.name);
    const member = memberOf(call);
    const owners: PlaylistOwner[] =
      input.scope === 'guild'
        ? ['guild']
        : input.scope === 'me'
          ? [ownerOf(call, 'me')]
          : member
            ? [member, 'guild']
            : ['guild'];
    for (const owner of owners) {
      const found = await playlists.get(call.guildId, owner, name);
      if (found) return found;
    }
    throw new UserError('PLAYLIST_NOT_FOUND', `No playlist is named "${name}". /playlist list shows them.`);
  };

  const save = async (
    call: Call,
    input: { name: string; scope?: PlaylistScope | undefined },
    tracks: readonly unknown[],
    leftOut: number | null,
    leftOutAtLeast: number,
  ): Promise<SaveResult> => {
    const playlist = await playlists.create(call.guildId, {
      owner: ownerOf(call, input.scope ?? 'guild'),
      name: input.name,
      createdBy: creatorOf(call),
      tracks: tracks.slice(0, PLAYLIST_LIMITS.tracks),
    });
    return { playlist: summaryOf(playlist), leftOut, leftOutAtLeast };
  };

  return {
    /** The guild's playlists and the asking member's own, the guild's first. */
    list: act<void, PlaylistSummary[]>('everyone', (call) => playlists.list(call.guildId, memberOf(call))),
    /** One playlist with its tracks. @throws UserError PLAYLIST_NOT_FOUND, INVALID_INPUT */
    show: act<Named, Playlist>('everyone', find),
    /**
     * Saves what is queued (the playing song first) or what played (oldest first) under a new name;
     * past the cap, the rest is left out and counted.
     * @throws UserError QUEUE_EMPTY, INVALID_INPUT, PLAYLIST_EXISTS, PLAYLIST_LIMIT
     */
    save: act<{ name: string; from: 'queue' | 'history'; scope?: PlaylistScope }, SaveResult>(
      'everyone',
      async (call, input) => {
        parsePlaylistName(input.name);
        ownerOf(call, input.scope ?? 'guild');
        let tracks: Track[];
        if (input.from === 'history') {
          const played = await queue.history(call.guildId, PLAYLIST_LIMITS.tracks);
          tracks = played.map((i) => i.track).reverse();
          if (tracks.length === 0)
            throw new UserError('QUEUE_EMPTY', 'Nothing has played yet: no history to save.');
        } else {
          const { items, playing } = await queue.all(call.guildId);
          tracks = [...(playing ? [playing.track] : []), ...items.map((i) => i.track)];
          if (tracks.length === 0) throw new UserError('QUEUE_EMPTY', 'The queue is empty: nothing to save.');
        }
        const over = Math.max(0, tracks.length - PLAYLIST_LIMITS.tracks);
        return save(call, input, tracks, over, over);
      },
    ),
    /**
     * Saves a YouTube, SoundCloud or Spotify playlist (or album) read through the providers, up to the
     * cap; what is past it is left out and said.
     * @throws UserError INVALID_URL (not a link), NOT_FOUND, INVALID_INPUT, PLAYLIST_EXISTS,
     *   PLAYLIST_LIMIT, and the providers' errors
     */
    import: act<{ link: string; name: string; scope?: PlaylistScope }, SaveResult>(
      'everyone',
      async (call, input) => {
        parsePlaylistName(input.name);
        ownerOf(call, input.scope ?? 'guild');
        const link = input.link.trim();
        if (!/^https?:\/\/\S+$/i.test(link) && !/^spotify:(playlist|album):\w+$/i.test(link)) {
          throw new UserError(
            'INVALID_URL',
            'Give the link of a YouTube, SoundCloud or Spotify playlist (https://...).',
          );
        }
        // One past the cap tells whether the playlist goes on beyond it without reading all of it.
        let total: number | null = null;
        const tracks = await deps.tracks.resolve(link, {
          guildId: call.guildId,
          limit: PLAYLIST_LIMITS.tracks + 1,
          onTotal: (n) => {
            total = n;
          },
        });
        if (tracks.length === 0) throw new UserError('NOT_FOUND', 'Nothing playable was found at that link.');
        if (tracks.length <= PLAYLIST_LIMITS.tracks) return save(call, input, tracks, 0, 0);
        // Past the cap: the provider's count of the whole playlist when it gave one (it may count
        // deleted or private entries too), else "at least one more".
        const known = total !== null ? Math.max(1, (total as number) - PLAYLIST_LIMITS.tracks) : null;
        return save(call, input, tracks, known, known ?? 1);
      },
    ),
    /**
     * Queues a playlist's tracks in order through the shared add: the queue's and the requester's
     * limits (and the request rules) decide what goes in; the rest is counted with the reason.
     * @throws UserError PLAYLIST_NOT_FOUND, and the add's refusals of the first track
     */
    load: act<Named & { requestedBy?: string; voiceChannelId?: string | null }, LoadResult>(
      'everyone',
      async (call, input) => {
        const playlist = await find(call, input);
        const add = await addFromQuery(deps, call, {
          query: playlist.name,
          tracks: playlist.tracks,
          ...(input.requestedBy ? { requestedBy: input.requestedBy } : {}),
          ...(input.voiceChannelId ? { voiceChannelId: input.voiceChannelId } : {}),
        });
        return { playlist: summaryOf(playlist), add };
      },
    ),
    /**
     * Deletes a playlist: a guild's by whoever saved it or a DJ, a personal one by its owner only.
     * @throws UserError PLAYLIST_NOT_FOUND, FORBIDDEN, INVALID_INPUT
     */
    delete: act<Named, PlaylistSummary>('everyone', async (call, input) => {
      const playlist = await find(call, input);
      if (playlist.owner === 'guild') {
        if (!allowed(call.actor, 'requester-or-dj', playlist.createdBy)) {
          throw new UserError(
            'FORBIDDEN',
            'Only the member who saved this server playlist, or a DJ, can delete it.',
          );
        }
      } else if (playlist.owner !== call.actor.userId) {
        throw new UserError('FORBIDDEN', 'Only its owner can delete a personal playlist.');
      }
      await playlists.remove(call.guildId, playlist.owner, playlist.name);
      return summaryOf(playlist);
    }),
  };
}

export type PlaylistActions = ReturnType<typeof playlistActions>;

/** The asking member, when the actor is one (the REST API names a user in the request, or none). */
function memberOf(call: Call): string | null {
  return isSnowflake(call.actor.userId) ? call.actor.userId : null;
}

/** @throws UserError INVALID_INPUT for a personal playlist without a member to own it */
function ownerOf(call: Call, scope: PlaylistScope): PlaylistOwner {
  if (scope === 'guild') return 'guild';
  const member = memberOf(call);
  if (!member) throw new UserError('INVALID_INPUT', 'A personal playlist needs a user: name the user_id.');
  return member;
}

/** Who saves: the member, or (the REST API without a user) the guild itself. */
function creatorOf(call: Call): string {
  return memberOf(call) ?? 'guild';
}

function summaryOf(p: Playlist): PlaylistSummary {
  return {
    name: p.name,
    owner: p.owner,
    createdBy: p.createdBy,
    trackCount: p.trackCount,
    durationMs: p.durationMs,
    createdAt: p.createdAt,
  };
}
