import { z } from 'zod';
import type { Actions, LyricsResult } from '../../actions/index.ts';
import { plainLine } from '../../core/text.ts';
import { sendData } from '../envelope.ts';
import type { Route } from '../router.ts';
import { apiCallOf } from '../wire.ts';

/** `?q=` words to look up instead of the playing song. */
export const lyricsQuery = z.object({
  q: plainLine()
    .min(1)
    .max(200)
    .optional()
    .describe('Title and artist to look up (default: the playing song)'),
});

/** A lyrics result on the wire (snake_case, times in ms). */
export function wireLyrics(r: LyricsResult) {
  const l = r.lyrics;
  return {
    lrclib_id: l.id,
    track_name: l.title,
    artist_name: l.artist,
    album_name: l.album,
    duration_ms: l.durationMs,
    instrumental: l.instrumental,
    plain_lyrics: l.plain,
    synced_lyrics: l.synced ? l.synced.map((line) => ({ time_ms: line.ms, text: line.text })) : null,
    for_playing: r.forPlaying,
  };
}

export function lyricsRoutes(deps: {
  actions: Pick<Actions, 'lyrics'>;
  hasCommunity(guildId: string): boolean;
}): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/lyrics/{community_id}',
      summary: "The playing song's lyrics from LRCLIB, or a song's named with ?q=",
      auth: true,
      handler: async ({ res, params, query }) => {
        const { q } = lyricsQuery.parse(Object.fromEntries(query));
        const call = apiCallOf(deps.hasCommunity)(params);
        sendData(res, 200, wireLyrics(await deps.actions.lyrics.find(call, q ? { query: q } : {})));
      },
    },
  ];
}
