import { UserError } from '../core/errors.ts';
import type { Lyrics, TrackRef } from '../lyrics/service.ts';
import type { QueueService } from '../queue/service.ts';
import { type DjRoleOf, defineAction } from './define.ts';
import type { LyricsPort } from './ports.ts';

export interface LyricsActionsDeps {
  queue: Pick<QueueService, 'nowPlaying'>;
  lyrics: LyricsPort;
  djRoleOf: DjRoleOf;
}

/**
 * What to find lyrics for: words someone typed (`query`), a record already found (`id`, from a page
 * button), the track an overlay shows (`track`), or, with none of them, the song playing in the guild.
 */
export interface LyricsInput {
  query?: string;
  id?: number;
  track?: TrackRef;
}

export interface LyricsResult {
  lyrics: Lyrics;
  /** Found for the song playing (not for words or an id). */
  forPlaying: boolean;
}

const UNAVAILABLE = 'The lyrics service (LRCLIB) is not answering right now. Try again in a minute.';

/** Finding lyrics: one action for /lyrics, its page buttons, the REST API and the overlay. */
export function lyricsActions(deps: LyricsActionsDeps) {
  return {
    /**
     * Lyrics for the playing song, words, an id or a track; an instrumental is a result (with
     * `instrumental`), not an error. @throws UserError NOTHING_PLAYING, NOT_FOUND, UNAVAILABLE
     */
    find: defineAction<LyricsInput, LyricsResult>('everyone', deps.djRoleOf, async (call, input) => {
      const query = input.query?.trim();
      let track = input.track;
      if (!query && input.id === undefined && !track) {
        const playing = await deps.queue.nowPlaying(call.guildId);
        if (!playing) {
          throw new UserError(
            'NOTHING_PLAYING',
            'Nothing is playing right now. Name a song to look up: /lyrics query:<title and artist>.',
          );
        }
        track = playing.track;
      }
      const wanted = query ? `"${query}"` : input.id !== undefined ? 'that song' : `"${track!.title}"`;
      let lyrics: Lyrics | null;
      try {
        lyrics = query
          ? await deps.lyrics.search(query)
          : input.id !== undefined
            ? await deps.lyrics.byId(input.id)
            : await deps.lyrics.forTrack(track!);
      } catch (err) {
        if ((err as Error).name === 'LyricsUnavailableError') throw new UserError('UNAVAILABLE', UNAVAILABLE);
        throw err;
      }
      if (!lyrics) throw new UserError('NOT_FOUND', `No lyrics found for ${wanted} on LRCLIB.`);
      return { lyrics, forPlaying: !query && input.id === undefined && !input.track };
    }),
  };
}

export type LyricsActions = ReturnType<typeof lyricsActions>;
