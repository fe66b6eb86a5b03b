import { z } from 'zod';
import { UserError } from '../../core/errors.ts';
import type { LoopMode } from '../../playback/player.ts';
import type { QueueService } from '../../queue/service.ts';
import { sendData } from '../envelope.ts';
import type { Route } from '../router.ts';
import { communityOf, wireItem } from '../wire.ts';

/**
 * What the routes control: the music player, or (with Spotify) the device-aware playback in front of it,
 * so that pause, resume and skip reach the Spotify device while a song plays there.
 */
export interface PlaybackControl {
  status(guildId: string): { state: string; positionMs: number | null; channelId?: string | null };
  ensurePlaying(guildId: string, channelId: string | null): Promise<void>;
  /** Starts the queue on the Spotify device when it is its turn (no voice channel needed). */
  startWithoutVoice?(guildId: string): Promise<boolean>;
  pause(guildId: string): Promise<unknown>;
  resume(guildId: string): Promise<unknown>;
  stop(guildId: string): Promise<void>;
  skip(guildId: string): Promise<unknown>;
  setVolume(guildId: string, volume: number): Promise<number>;
  volume(guildId: string): number | null;
  loop(guildId: string): LoopMode;
}

export interface PlaybackRouteDeps {
  queue: QueueService;
  /** Null in API-only mode: there is no voice connection to control. */
  player: PlaybackControl | null;
  hasCommunity(guildId: string): boolean;
}

export const volumeBody = z.strictObject({ volume: z.int().min(0).max(100) });

/** /api/v1/playback/{community_id}/...: play, pause, resume, stop, skip, volume, now-playing, state. */
export function playbackRoutes(deps: PlaybackRouteDeps): Route[] {
  const base = '/api/v1/playback/{community_id}';
  const community = (params: Record<string, string>) => communityOf(params, deps.hasCommunity);
  const connected = (guildId: string): PlaybackControl => {
    const player = deps.player;
    const status = player?.status(guildId);
    if (!player || !status || (!status.channelId && status.state === 'idle')) {
      throw new UserError(
        'NOT_CONNECTED',
        'The bot is not in a voice channel in this community. Start with /play in Discord.',
      );
    }
    return player;
  };
  const action = (
    name: string,
    summary: string,
    run: (player: PlaybackControl, guildId: string, body: unknown) => Promise<unknown>,
    body?: z.ZodType,
  ): Route => ({
    method: 'POST',
    path: `${base}/${name}`,
    auth: true,
    write: true,
    summary,
    ...(body ? { body } : {}),
    handler: async ({ res, params, body }) => {
      const guildId = community(params);
      // play may start the queue on the Spotify device, which needs no voice channel.
      const onDevice = name === 'play' && (await deps.player?.startWithoutVoice?.(guildId));
      if (!onDevice) await run(connected(guildId), guildId, body);
      sendData(res, 200, await state(guildId));
    },
  });
  const state = async (guildId: string) => {
    const status = deps.player?.status(guildId) ?? { state: 'idle', positionMs: null, channelId: null };
    const channelId = status.channelId ?? null;
    const playing = await deps.queue.nowPlaying(guildId);
    return {
      community_id: guildId,
      state: status.state,
      is_playing: status.state === 'playing',
      is_paused: status.state === 'paused',
      position_ms: status.positionMs,
      volume: deps.player?.volume(guildId) ?? null,
      loop: deps.player?.loop(guildId) ?? 'off',
      voice_channel_id: channelId,
      current_queue_item: playing ? wireItem(playing) : null,
    };
  };
  return [
    action('play', 'Start the queue in the voice channel the bot is in', (player, guildId) =>
      player.ensurePlaying(guildId, null),
    ),
    action('pause', 'Pause', (player, guildId) => player.pause(guildId)),
    action('resume', 'Resume', (player, guildId) => player.resume(guildId)),
    action('stop', 'Stop and leave the voice channel (the queue stays)', (player, guildId) =>
      player.stop(guildId),
    ),
    action('skip', 'Skip the playing song', (player, guildId) => player.skip(guildId)),
    action(
      'volume',
      'Set the volume, 0..100, for this session (default_volume in the settings is where songs start)',
      (player, guildId, body) => player.setVolume(guildId, volumeBody.parse(body).volume),
      volumeBody,
    ),
    {
      method: 'GET',
      path: `${base}/now-playing`,
      auth: true,
      summary: 'The playing song with its position; 204 when nothing plays',
      handler: async ({ res, params }) => {
        const guildId = community(params);
        const playing = await deps.queue.nowPlaying(guildId);
        if (!playing) return sendData(res, 204, null);
        const status = deps.player?.status(guildId);
        sendData(res, 200, {
          ...wireItem(playing),
          position_ms: status?.positionMs ?? null,
          paused: status?.state === 'paused',
        });
      },
    },
    {
      method: 'GET',
      path: `${base}/state`,
      auth: true,
      summary: 'The player state: idle, connecting, starting, playing or paused',
      handler: async ({ res, params }) => sendData(res, 200, await state(community(params))),
    },
  ];
}
