import { z } from 'zod';
import type { Actions } from '../../actions/index.ts';
import { snowflakeSchema } from '../../core/ids.ts';
import {
  allowedSourcesSchema,
  type GuildSettings,
  MAX_COOLDOWN_SECONDS,
  MAX_TRACK_SECONDS,
  queueOrderSchema,
  requestAccessSchema,
} from '../../storage/db/guild-settings.ts';
import { sendData } from '../envelope.ts';
import type { Route } from '../router.ts';
import { apiCallOf } from '../wire.ts';

/** The settings /settings edits, on the wire (snake_case). */
const patchBody = z
  .strictObject({
    dj_role_id: snowflakeSchema.nullable(),
    vote_skip_ratio: z.number().min(0).max(1),
    max_queue_length: z.int().min(1).max(10_000).nullable(),
    max_per_user: z.int().min(1).max(10_000).nullable(),
    default_volume: z.int().min(0).max(100),
    stay_in_voice: z.boolean(),
    /** device: Spotify items play on the linked account's device; voice: matched and played in voice; null: automatic. */
    spotify_mode: z.enum(['device', 'voice']).nullable(),
    /** Who may request songs: everyone, members of request_role_id (and DJs), or DJs only. */
    request_access: requestAccessSchema,
    request_role_id: snowflakeSchema.nullable(),
    /** Longest track a request may queue, in seconds; 0: no cap. */
    max_track_seconds: z.int().min(0).max(MAX_TRACK_SECONDS),
    allow_live: z.boolean(),
    /** Seconds a member waits between two requests; 0: none. */
    request_cooldown_seconds: z.int().min(0).max(MAX_COOLDOWN_SECONDS),
    allowed_sources: allowedSourcesSchema,
    /** votes: by votes, then first come; fair: round-robin between requesters inside one vote score. */
    queue_order: queueOrderSchema,
  })
  .partial();

function wire(s: GuildSettings) {
  return {
    community_id: s.guildId,
    dj_role_id: s.djRoleId,
    vote_skip_ratio: s.voteSkipRatio,
    max_queue_length: s.maxQueueLength,
    max_per_user: s.maxPerUser,
    default_volume: s.defaultVolume,
    stay_in_voice: s.stayInVoice,
    spotify_mode: s.spotifyMode ?? null,
    overlay_key_set: s.overlayKeyHash !== null,
    request_access: s.requestAccess,
    request_role_id: s.requestRoleId,
    max_track_seconds: s.maxTrackSeconds,
    allow_live: s.allowLive,
    request_cooldown_seconds: s.requestCooldownSeconds,
    allowed_sources: s.allowedSources,
    queue_order: s.queueOrder,
  };
}

export function settingsRoutes(deps: {
  actions: Pick<Actions, 'admin'>;
  hasCommunity(guildId: string): boolean;
}): Route[] {
  const { admin } = deps.actions;
  const path = '/api/v1/settings/{community_id}';
  const call = apiCallOf(deps.hasCommunity);
  return [
    {
      method: 'GET',
      path,
      summary: "The community's settings",
      auth: true,
      handler: async ({ res, params }) => sendData(res, 200, wire(await admin.settings(call(params)))),
    },
    {
      method: 'PATCH',
      path,
      summary: 'Change some settings',
      body: patchBody,
      auth: true,
      write: true,
      handler: async ({ res, params, body }) => {
        const p = patchBody.parse(body ?? {});
        const updated = await admin.updateSettings(call(params), {
          ...(p.dj_role_id !== undefined && { djRoleId: p.dj_role_id }),
          ...(p.vote_skip_ratio !== undefined && { voteSkipRatio: p.vote_skip_ratio }),
          ...(p.max_queue_length !== undefined && { maxQueueLength: p.max_queue_length }),
          ...(p.max_per_user !== undefined && { maxPerUser: p.max_per_user }),
          ...(p.default_volume !== undefined && { defaultVolume: p.default_volume }),
          ...(p.stay_in_voice !== undefined && { stayInVoice: p.stay_in_voice }),
          ...(p.spotify_mode !== undefined && { spotifyMode: p.spotify_mode }),
          ...(p.request_access !== undefined && { requestAccess: p.request_access }),
          ...(p.request_role_id !== undefined && { requestRoleId: p.request_role_id }),
          ...(p.max_track_seconds !== undefined && { maxTrackSeconds: p.max_track_seconds }),
          ...(p.allow_live !== undefined && { allowLive: p.allow_live }),
          ...(p.request_cooldown_seconds !== undefined && {
            requestCooldownSeconds: p.request_cooldown_seconds,
          }),
          ...(p.allowed_sources !== undefined && { allowedSources: p.allowed_sources }),
          ...(p.queue_order !== undefined && { queueOrder: p.queue_order }),
        });
        sendData(res, 200, wire(updated));
      },
    },
  ];
}
