import { z } from 'zod';
import { type Actions, apiActor } from '../actions/index.ts';
import type { Clock } from '../core/clock.ts';
import { UserError } from '../core/errors.ts';
import { isSnowflake, snowflakeSchema } from '../core/ids.ts';
import { sendData, sendError } from '../http/envelope.ts';
import type { Route } from '../http/router.ts';
import { communityOf } from '../http/wire.ts';
import type { ArtworkProxy } from './artwork.ts';
import { overlayEvent } from './events.ts';
import type { OverlayHub } from './hub.ts';
import type { OverlayKeys } from './keys.ts';
import { pageOptions, sendOverlayPage, sendUnauthorizedPage } from './page.ts';

export interface OverlayRoutesDeps {
  keys: Pick<OverlayKeys, 'verify'>;
  /** Issuing a key is an action (the same as /overlay in Discord); so is finding lyrics (/lyrics). */
  actions: Pick<Actions, 'admin' | 'lyrics'>;
  hub: Pick<OverlayHub, 'publish' | 'artworkUrls' | 'nowPlayingShown'>;
  /** Fetches the artwork the page shows, through the SSRF guard. */
  artwork: Pick<ArtworkProxy, 'get'>;
  hasCommunity(guildId: string): boolean;
  clock: Clock;
}

/** WaddleBot sends naive ISO times (`datetime.utcnow().isoformat()`): read them as UTC. */
const isoTime = z
  .string()
  .max(40)
  .refine((v) => Number.isFinite(Date.parse(toUtc(v))), { message: 'must be an ISO 8601 time' })
  .transform((v) => new Date(Date.parse(toUtc(v))).toISOString());

const communityId = z.union([
  snowflakeSchema,
  z.number().transform((_, ctx) => {
    ctx.addIssue({ code: 'custom', message: 'send the community id as a string (a Discord id)' });
    return z.NEVER;
  }),
]);

const httpUrl = z
  .string()
  .max(2000)
  .refine((v) => /^https?:\/\//i.test(v), { message: 'must be an http(s) URL' });
const text = (max: number) => z.string().max(max).nullable().default(null);
const count = z.number().int().min(0).max(1e9).nullable().default(null);

/** The seed's browser-source now-playing payload (plus where the track is). */
export const nowPlayingBody = z.object({
  community_id: communityId,
  type: z.literal('now_playing').optional(),
  timestamp: isoTime.optional(),
  track: z
    .object({
      name: z.string().trim().min(1).max(200),
      artist: text(200),
      album: text(200),
      album_art_url: httpUrl.nullable().default(null),
      duration_ms: count,
      provider: z.string().min(1).max(32),
    })
    .nullable(),
  started_at: isoTime.nullable().default(null),
  position_ms: count,
  paused: z.boolean().default(false),
  filter: text(60),
  speed: z.number().min(0.25).max(4).default(1),
});

const playMode = z.enum(['music', 'radio', 'none']);

/** The seed's mode-change notification; `new_mode` (WaddleBot's name), `active_mode` or `mode`. */
export const modeChangeBody = z
  .object({
    community_id: communityId,
    type: z.literal('mode_change').optional(),
    timestamp: isoTime.optional(),
    new_mode: playMode.optional(),
    active_mode: playMode.optional(),
    mode: playMode.optional(),
    previous_mode: playMode.nullable().default(null),
    switched_at: isoTime.nullable().optional(),
    station: z
      .union([
        z.string().min(1).max(100),
        z.object({ name: z.string().min(1).max(100), url: httpUrl.nullable().default(null) }),
      ])
      .nullable()
      .default(null),
  })
  .refine((b) => b.new_mode ?? b.active_mode ?? b.mode, {
    message: 'name the mode (new_mode, active_mode or mode)',
    path: ['new_mode'],
  });

/** The seed's radio overlay update. */
export const radioUpdateBody = z.object({
  type: z.literal('radio_update').optional(),
  community_id: communityId,
  station: z.string().min(1).max(100).nullable(),
  provider: z.string().min(1).max(32).nullable().default(null),
  now_playing: z
    .object({
      title: text(200),
      artist: text(200),
      album: text(200),
      duration_seconds: count,
      bitrate: count,
      codec: text(32),
      genre: text(100),
      thumbnail_url: httpUrl.nullable().default(null),
      updated_at: isoTime.nullable().default(null),
    })
    .nullable()
    .default(null),
  timestamp: isoTime.optional(),
});

/**
 * The overlay's HTTP side: the page (key in the query), issuing a key, and the seed's internal inputs
 * through which another service (WaddleBot's music module) can drive the overlay.
 */
export function overlayRoutes(deps: OverlayRoutesDeps): Route[] {
  const now = () => new Date(deps.clock.now()).toISOString();
  const known = (guildId: string) => {
    if (!deps.hasCommunity(guildId))
      throw new UserError('NOT_FOUND', `The bot is not in community ${guildId}.`);
    return guildId;
  };
  return [
    {
      method: 'GET',
      path: '/overlay/{community_id}',
      summary: 'The OBS browser-source page (?key=, theme, layout, accent)',
      auth: false,
      handler: async ({ res, params, query }) => {
        const guildId = params.community_id!;
        if (!isSnowflake(guildId) || !deps.hasCommunity(guildId))
          return sendError(res, 404, 'NOT_FOUND', 'No overlay here.');
        if (!(await deps.keys.verify(guildId, query.get('key')))) return sendUnauthorizedPage(res);
        sendOverlayPage(res, guildId, pageOptions(query));
      },
    },
    {
      method: 'GET',
      path: '/overlay/{community_id}/artwork',
      summary:
        'An image the overlay shows (?key=, ?url= of the album art or station image), fetched through the SSRF guard',
      auth: false,
      handler: async ({ res, params, query }) => {
        const guildId = params.community_id!;
        if (!isSnowflake(guildId) || !deps.hasCommunity(guildId))
          return sendError(res, 404, 'NOT_FOUND', 'No overlay here.');
        if (!(await deps.keys.verify(guildId, query.get('key'))))
          return sendError(res, 401, 'UNAUTHORIZED', 'The overlay key is missing, wrong or was replaced.');
        const url = query.get('url') ?? '';
        if (!(await deps.hub.artworkUrls(guildId)).has(url))
          return sendError(res, 404, 'NOT_FOUND', 'That image is not shown on this overlay.');
        const image = await deps.artwork.get(url);
        res.writeHead(200, {
          'content-type': image.type,
          'content-length': image.body.length,
          'cache-control': 'private, max-age=300',
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; sandbox",
          'cross-origin-resource-policy': 'same-origin',
        });
        res.end(image.body);
      },
    },
    {
      method: 'GET',
      path: '/overlay/{community_id}/lyrics',
      summary: "The synced lyrics of the song the overlay shows (?key=), for the page's lyrics line",
      auth: false,
      handler: async ({ res, params, query }) => {
        const guildId = params.community_id!;
        if (!isSnowflake(guildId) || !deps.hasCommunity(guildId))
          return sendError(res, 404, 'NOT_FOUND', 'No overlay here.');
        if (!(await deps.keys.verify(guildId, query.get('key'))))
          return sendError(res, 401, 'UNAUTHORIZED', 'The overlay key is missing, wrong or was replaced.');
        // The song is the one the overlay shows, never one the page names: the key reads nothing else.
        const t = (await deps.hub.nowPlayingShown(guildId)).track;
        if (!t) return sendData(res, 200, { track: null, instrumental: false, lines: [] });
        const track = { title: t.name, artist: t.artist, album: t.album, durationMs: t.duration_ms };
        const { lyrics } = await deps.actions.lyrics.find({ guildId, actor: apiActor() }, { track });
        sendData(res, 200, {
          track: { name: t.name, artist: t.artist },
          instrumental: lyrics.instrumental,
          lines: lyrics.synced ?? [],
        });
      },
    },
    {
      method: 'POST',
      path: '/api/v1/overlay/{community_id}/key',
      summary: 'Create or rotate the overlay key; returns {overlay_url, key}',
      auth: true,
      write: true,
      handler: async ({ res, params }) => {
        const guildId = communityOf(params, deps.hasCommunity);
        const { url, key } = await deps.actions.admin.overlayLink({ guildId, actor: apiActor() });
        sendData(res, 201, { overlay_url: url, key });
      },
    },
    {
      method: 'POST',
      path: '/api/v1/internal/now-playing',
      summary: 'Now-playing input for the overlay (from another bot or a script)',
      body: nowPlayingBody,
      auth: true,
      handler: ({ res, body }) => {
        const b = nowPlayingBody.parse(body);
        const guildId = known(b.community_id);
        const at = b.timestamp ?? now();
        const data = {
          community_id: guildId,
          type: 'now_playing' as const,
          timestamp: at,
          track: b.track,
          started_at: b.started_at,
          position_ms: b.position_ms ?? (b.track ? 0 : null),
          paused: b.paused,
          filter: b.filter,
          speed: b.speed,
        };
        deps.hub.publish(guildId, overlayEvent('now_playing', data, now()));
        sendData(res, 202, { delivered: true });
      },
    },
    {
      method: 'POST',
      path: '/api/v1/internal/mode-change',
      summary: 'Mode-change input for the overlay (from another bot or a script)',
      body: modeChangeBody,
      auth: true,
      handler: ({ res, body }) => {
        const b = modeChangeBody.parse(body);
        const guildId = known(b.community_id);
        const at = b.timestamp ?? now();
        const station = typeof b.station === 'string' ? { name: b.station, url: null } : b.station;
        const data = {
          community_id: guildId,
          type: 'mode_change' as const,
          timestamp: at,
          active_mode: (b.new_mode ?? b.active_mode ?? b.mode)!,
          previous_mode: b.previous_mode,
          switched_at: b.switched_at ?? at,
          station,
        };
        deps.hub.publish(guildId, overlayEvent('mode_change', data, now()));
        sendData(res, 202, { delivered: true });
      },
    },
    {
      method: 'POST',
      path: '/api/v1/internal/radio-update',
      summary: 'Radio now-playing input for the overlay (from another bot or a script)',
      body: radioUpdateBody,
      auth: true,
      handler: ({ res, body }) => {
        const b = radioUpdateBody.parse(body);
        const guildId = known(b.community_id);
        const at = b.timestamp ?? now();
        const nowPlaying = b.now_playing
          ? { ...b.now_playing, updated_at: b.now_playing.updated_at ?? at }
          : null;
        const data = {
          type: 'radio_update' as const,
          community_id: guildId,
          station: b.station,
          provider: b.provider,
          now_playing: nowPlaying,
          timestamp: at,
        };
        deps.hub.publish(guildId, overlayEvent('radio_update', data, now()));
        sendData(res, 202, { delivered: true });
      },
    },
  ];
}

function toUtc(value: string): string {
  // A date-time without a zone is UTC here, not the server's local time.
  return /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value}Z` : value;
}
