import { z } from 'zod';
import type { Actions, SaveResult } from '../../actions/index.ts';
import { snowflakeSchema } from '../../core/ids.ts';
import { safeText } from '../../core/text.ts';
import type { Playlist, PlaylistSummary } from '../../storage/db/playlists.ts';
import { sendData } from '../envelope.ts';
import type { Route } from '../router.ts';
import { apiCallOf, wireTrack } from '../wire.ts';

const scope = z.enum(['guild', 'me']);
// Names are checked by the action (length, control characters) and refused with a 400 there.
const name = z.string().max(1000);

export const saveBody = z.strictObject({
  name,
  from: z.enum(['queue', 'history']).default('queue'),
  /** `me`: the user's own playlist (needs `user_id`). */
  scope: scope.default('guild'),
  user_id: snowflakeSchema.optional(),
});

export const importBody = z.strictObject({
  link: safeText().min(1).max(2000),
  name,
  scope: scope.default('guild'),
  user_id: snowflakeSchema.optional(),
});

export const loadBody = z.strictObject({
  requested_by_user_id: snowflakeSchema.optional(),
  /** Without it: the user's own playlist of that name first, then the community's. */
  scope: scope.optional(),
  voice_channel_id: snowflakeSchema.optional(),
});

/** `?user_id=&scope=` of the reading and deleting routes. */
export const playlistQuery = z.object({
  user_id: snowflakeSchema.optional(),
  scope: scope.optional(),
});

export function wirePlaylistSummary(p: PlaylistSummary) {
  return {
    name: p.name,
    scope: p.owner === 'guild' ? ('guild' as const) : ('member' as const),
    owner_user_id: p.owner === 'guild' ? null : p.owner,
    created_by_user_id: p.createdBy,
    track_count: p.trackCount,
    duration_ms: p.durationMs,
    created_at: p.createdAt,
  };
}

function wirePlaylist(p: Playlist) {
  return { ...wirePlaylistSummary(p), tracks: p.tracks.map((track) => wireTrack({ track })) };
}

function wireSaved(r: SaveResult) {
  return {
    playlist: wirePlaylistSummary(r.playlist),
    left_out_count: r.leftOut,
    left_out_at_least: r.leftOutAtLeast,
  };
}

/** /api/v1/playlists/{community_id}/...: saved playlists, as /playlist does in Discord. */
export function playlistRoutes(deps: {
  actions: Pick<Actions, 'playlists'>;
  hasCommunity(guildId: string): boolean;
}): Route[] {
  const { playlists } = deps.actions;
  const base = '/api/v1/playlists/{community_id}';
  const call = apiCallOf(deps.hasCommunity);
  const named = (params: Record<string, string>, query: URLSearchParams) => {
    const q = playlistQuery.parse(Object.fromEntries(query));
    return { call: call(params, q.user_id), input: { name: params.name!, scope: q.scope } };
  };
  return [
    {
      method: 'GET',
      path: base,
      auth: true,
      summary: "The community's playlists, and the user's own with ?user_id=",
      handler: async ({ res, params, query }) => {
        const q = playlistQuery.parse(Object.fromEntries(query));
        const all = await playlists.list(call(params, q.user_id));
        sendData(res, 200, { playlists: all.map(wirePlaylistSummary) });
      },
    },
    {
      method: 'POST',
      path: base,
      auth: true,
      write: true,
      summary: 'Save the queue or the history as a playlist (at most 500 tracks; the rest is counted)',
      body: saveBody,
      handler: async ({ res, params, body }) => {
        const b = saveBody.parse(body);
        const saved = await playlists.save(call(params, b.user_id), {
          name: b.name,
          from: b.from,
          scope: b.scope,
        });
        sendData(res, 201, wireSaved(saved));
      },
    },
    {
      method: 'POST',
      path: `${base}/import`,
      auth: true,
      write: true,
      summary: 'Save a YouTube, SoundCloud or Spotify playlist read through the providers (up to 500 tracks)',
      body: importBody,
      handler: async ({ res, params, body }) => {
        const b = importBody.parse(body);
        const saved = await playlists.import(call(params, b.user_id), {
          link: b.link,
          name: b.name,
          scope: b.scope,
        });
        sendData(res, 201, wireSaved(saved));
      },
    },
    {
      method: 'GET',
      path: `${base}/{name}`,
      auth: true,
      summary: "A playlist with its tracks (?user_id= finds the user's own first; ?scope=guild|me)",
      handler: async ({ res, params, query }) => {
        const { call: c, input } = named(params, query);
        sendData(res, 200, wirePlaylist(await playlists.show(c, input)));
      },
    },
    {
      method: 'DELETE',
      path: `${base}/{name}`,
      auth: true,
      write: true,
      summary: "Delete a playlist (a user's own needs ?user_id= of its owner)",
      handler: async ({ res, params, query }) => {
        const { call: c, input } = named(params, query);
        sendData(res, 200, { deleted: wirePlaylistSummary(await playlists.delete(c, input)) });
      },
    },
    {
      method: 'POST',
      path: `${base}/{name}/load`,
      auth: true,
      write: true,
      summary: 'Queue a playlist through the same add as /queue/add: its limits decide what goes in',
      body: loadBody,
      handler: async ({ res, params, body }) => {
        const b = loadBody.parse(body);
        const { playlist, add } = await playlists.load(call(params, b.requested_by_user_id), {
          name: params.name!,
          ...(b.scope ? { scope: b.scope } : {}),
          ...(b.voice_channel_id ? { voiceChannelId: b.voice_channel_id } : {}),
        });
        sendData(res, 200, {
          playlist: wirePlaylistSummary(playlist),
          queued_count: add.added.length,
          first_position: add.added[0]!.position,
          not_queued_count: add.notQueued,
          not_queued_reason: add.notQueuedReason,
          playback: add.playback,
        });
      },
    },
  ];
}
