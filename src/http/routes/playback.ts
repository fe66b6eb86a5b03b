import { z } from 'zod';
import type { Actions, Call, FilterView, PlaybackState } from '../../actions/index.ts';
import { EQ_LIMIT_DB, FILTER_PRESETS } from '../../playback/filters.ts';
import { sendData } from '../envelope.ts';
import type { Route } from '../router.ts';
import { apiCallOf, wireItem } from '../wire.ts';

export interface PlaybackRouteDeps {
  actions: Pick<Actions, 'playback'>;
  hasCommunity(guildId: string): boolean;
}

export const volumeBody = z.strictObject({ volume: z.int().min(0).max(100) });

export const filterBody = z.strictObject({ preset: z.enum([...FILTER_PRESETS, 'off']) });

const gain = z.int().min(-EQ_LIMIT_DB).max(EQ_LIMIT_DB);
export const eqBody = z
  .strictObject({ bass: gain.optional(), mid: gain.optional(), treble: gain.optional() })
  .refine((b) => b.bass !== undefined || b.mid !== undefined || b.treble !== undefined, {
    message: 'Give a gain for bass, mid or treble (dB).',
  });

/** The session's filter on the wire. */
export function wireFilter(f: FilterView) {
  return { preset: f.preset, eq: { ...f.eq }, speed: f.speed, label: f.label };
}

/** The player's state on the wire. */
function wireState(guildId: string, s: PlaybackState) {
  return {
    community_id: guildId,
    state: s.state,
    is_playing: s.state === 'playing',
    is_paused: s.state === 'paused',
    position_ms: s.positionMs,
    volume: s.volume,
    filter: wireFilter(s.filter),
    loop: s.loop,
    voice_channel_id: s.voiceChannelId,
    current_queue_item: s.playing ? wireItem(s.playing) : null,
  };
}

/**
 * /api/v1/playback/{community_id}/...: play, pause, resume, stop, skip, volume, filter, eq,
 * now-playing, state.
 */
export function playbackRoutes(deps: PlaybackRouteDeps): Route[] {
  const { playback } = deps.actions;
  const base = '/api/v1/playback/{community_id}';
  const call = apiCallOf(deps.hasCommunity);
  /** A control: one action, answered with the player's state after it. */
  const control = (
    name: string,
    summary: string,
    run: (c: Call, body: unknown) => Promise<unknown>,
    body?: z.ZodType,
  ): Route => ({
    method: 'POST',
    path: `${base}/${name}`,
    auth: true,
    write: true,
    summary,
    ...(body ? { body } : {}),
    handler: async ({ res, params, body }) => {
      const c = call(params);
      await run(c, body);
      sendData(res, 200, wireState(c.guildId, await playback.state(c)));
    },
  });
  return [
    control(
      'play',
      'Start the queue: on the Spotify device in device mode, else in the voice channel the bot is in',
      (c) => playback.play(c),
    ),
    control('pause', 'Pause', (c) => playback.pause(c)),
    control('resume', 'Resume', (c) => playback.resume(c)),
    control('stop', 'Stop and leave the voice channel (the queue stays)', (c) => playback.stop(c)),
    control('skip', 'Skip the playing song', (c) => playback.skip(c)),
    control(
      'volume',
      'Set the volume, 0..100, for this session (default_volume in the settings is where songs start)',
      (c, body) => playback.setVolume(c, volumeBody.parse(body)),
      volumeBody,
    ),
    {
      method: 'GET',
      path: `${base}/filter`,
      auth: true,
      summary: 'The audio filter of this session: preset, equaliser gains (dB) and playback speed',
      handler: async ({ res, params }) => {
        const c = call(params);
        sendData(res, 200, { community_id: c.guildId, ...wireFilter(await playback.filter(c)) });
      },
    },
    {
      method: 'PUT',
      path: `${base}/filter`,
      auth: true,
      write: true,
      summary:
        'Set the filter preset (off clears the preset and the equaliser); the playing song re-opens at its place. ' +
        '409 on the radio or a live stream',
      body: filterBody,
      handler: async ({ res, params, body }) => {
        const c = call(params);
        const set = await playback.setFilter(c, filterBody.parse(body));
        sendData(res, 200, { community_id: c.guildId, ...wireFilter(set) });
      },
    },
    {
      method: 'PUT',
      path: `${base}/eq`,
      auth: true,
      write: true,
      summary: `Set equaliser gains in dB (-${EQ_LIMIT_DB}..${EQ_LIMIT_DB}); a band left out keeps its gain`,
      body: eqBody,
      handler: async ({ res, params, body }) => {
        const c = call(params);
        const set = await playback.setEq(c, eqBody.parse(body));
        sendData(res, 200, { community_id: c.guildId, ...wireFilter(set) });
      },
    },
    {
      method: 'GET',
      path: `${base}/now-playing`,
      auth: true,
      summary: 'The playing song with its position; 204 when nothing plays',
      handler: async ({ res, params }) => {
        const s = await playback.state(call(params));
        if (!s.playing) return sendData(res, 204, null);
        sendData(res, 200, {
          ...wireItem(s.playing),
          position_ms: s.positionMs,
          paused: s.state === 'paused',
          filter: wireFilter(s.filter),
        });
      },
    },
    {
      method: 'GET',
      path: `${base}/state`,
      auth: true,
      summary: 'The player state: idle, connecting, starting, playing or paused',
      handler: async ({ res, params }) => {
        const c = call(params);
        sendData(res, 200, wireState(c.guildId, await playback.state(c)));
      },
    },
  ];
}
