import { z } from 'zod';
import { type Actions, apiActor, type Call } from '../../actions/index.ts';
import { snowflakeSchema } from '../../core/ids.ts';
import type { GuildSettings } from '../../storage/db/guild-settings.ts';
import { sendData } from '../envelope.ts';
import type { Route } from '../router.ts';
import { communityOf } from '../wire.ts';

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
  };
}

export function settingsRoutes(deps: {
  actions: Pick<Actions, 'admin'>;
  hasCommunity(guildId: string): boolean;
}): Route[] {
  const { admin } = deps.actions;
  const path = '/api/v1/settings/{community_id}';
  const call = (params: Record<string, string>): Call => ({
    guildId: communityOf(params, deps.hasCommunity),
    actor: apiActor(),
  });
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
        });
        sendData(res, 200, wire(updated));
      },
    },
  ];
}
