import type { Logger } from '../core/logger.ts';
import type { QueueService } from '../queue/service.ts';
import type { PlaybackSnapshot } from '../storage/queue/store.ts';

/**
 * After a restart: each guild this process serves plays again where it was. Songs from their saved
 * position in their voice channel, or followed on the Spotify device they play on; stations in the channel they played in (or followed for their
 * now-playing alone without Discord). One guild's failure is logged and never stops the others.
 */
export async function resumeAfterRestart(deps: {
  /** Whether this process serves the guild (the bot is in it; always true in API-only mode). */
  serves(guildId: string): boolean;
  queue: Pick<QueueService, 'playbackSnapshots'>;
  /** Spotify's device player (device mode needs no voice); null without Spotify. */
  device: { resumeDevices(serves: (guildId: string) => boolean): Promise<unknown> } | null;
  /** The voice player; null without Discord. */
  player: { restore(snapshot: PlaybackSnapshot): Promise<unknown> } | null;
  radio: {
    /** Guilds left in radio mode, with their station and voice channel. */
    inRadioMode(): Promise<{ guildId: string; stationName: string | null; voiceChannelId?: string | null }[]>;
    start(guildId: string, station: string, options: { channelId: string | null }): Promise<unknown>;
  };
  /** Whether there is a voice connection to play stations in (false: follow their now-playing). */
  withVoice: boolean;
  logger: Logger;
}): Promise<void> {
  const { logger } = deps;
  if (deps.player) {
    const player = deps.player;
    for (const snapshot of await deps.queue.playbackSnapshots()) {
      if (!deps.serves(snapshot.guildId)) continue;
      player
        .restore(snapshot)
        .catch((err) => logger.warn({ err, guildId: snapshot.guildId }, 'could not resume playback'));
    }
  }
  // Guilds whose queue played on their Spotify device are followed again.
  void deps.device?.resumeDevices(deps.serves);
  for (const state of await deps.radio.inRadioMode()) {
    if (!state.stationName || !deps.serves(state.guildId)) continue;
    const channelId = deps.withVoice ? (state.voiceChannelId ?? null) : null;
    deps.radio
      .start(state.guildId, state.stationName, { channelId })
      .then(() =>
        logger.info({ guildId: state.guildId, station: state.stationName }, 'radio resumed after a restart'),
      )
      .catch((err) =>
        logger.warn({ err: err?.message, guildId: state.guildId }, 'could not resume the radio'),
      );
  }
}
