import { UserError } from '../../core/errors.ts';
import type { MusicPlayer } from '../../playback/player.ts';
import type { QueueService } from '../../queue/service.ts';
import { sendData } from '../envelope.ts';
import type { Route } from '../router.ts';
import { communityOf, wireItem } from '../wire.ts';

export interface PlaybackRouteDeps {
  queue: QueueService;
  /** Null in API-only mode: there is no voice connection to control. */
  player: MusicPlayer | null;
  hasCommunity(guildId: string): boolean;
}

/** /api/v1/playback/{community_id}/...: play, pause, resume, stop, skip, now-playing, state. */
export function playbackRoutes(deps: PlaybackRouteDeps): Route[] {
  const base = '/api/v1/playback/{community_id}';
  const community = (params: Record<string, string>) => communityOf(params, deps.hasCommunity);
  const connected = (guildId: string): MusicPlayer => {
    const player = deps.player;
    if (!player || (player.status(guildId).channelId === null && player.state(guildId).kind === 'idle')) {
      throw new UserError(
        'NOT_CONNECTED',
        'The bot is not in a voice channel in this community. Start with /play in Discord.',
      );
    }
    return player;
  };
  const action = (name: string, run: (player: MusicPlayer, guildId: string) => Promise<unknown>): Route => ({
    method: 'POST',
    path: `${base}/${name}`,
    auth: true,
    write: true,
    handler: async ({ res, params }) => {
      const guildId = community(params);
      await run(connected(guildId), guildId);
      sendData(res, 200, await state(guildId));
    },
  });
  const state = async (guildId: string) => {
    const status = deps.player?.status(guildId) ?? { state: 'idle', positionMs: null, channelId: null };
    const playing = await deps.queue.nowPlaying(guildId);
    return {
      community_id: guildId,
      state: status.state,
      is_playing: status.state === 'playing',
      is_paused: status.state === 'paused',
      position_ms: status.positionMs,
      voice_channel_id: status.channelId,
      current_queue_item: playing ? wireItem(playing) : null,
    };
  };
  return [
    action('play', (player, guildId) => player.ensurePlaying(guildId, null)),
    action('pause', (player, guildId) => player.pause(guildId)),
    action('resume', (player, guildId) => player.resume(guildId)),
    action('stop', (player, guildId) => player.stop(guildId)),
    action('skip', (player, guildId) => player.skip(guildId)),
    {
      method: 'GET',
      path: `${base}/now-playing`,
      auth: true,
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
      handler: async ({ res, params }) => sendData(res, 200, await state(community(params))),
    },
  ];
}
