import { UserError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { QueueItem } from '../core/track.ts';
import type { MusicPlayer, SkipOutcome } from '../playback/player.ts';
import type { QueueService } from '../queue/service.ts';
import type { SpotifyMode } from '../storage/db/guild-settings.ts';
import { errText } from './device-following.ts';
import type { SpotifyDevicePlayer } from './device-player.ts';

/** The voice player's controls that people use (MusicPlayer has them). */
export type VoicePlayback = Pick<
  MusicPlayer,
  | 'ensurePlaying'
  | 'requestSkip'
  | 'pause'
  | 'resume'
  | 'stop'
  | 'seek'
  | 'setVolume'
  | 'volume'
  | 'setFilter'
  | 'setEq'
  | 'filter'
  | 'setLoop'
  | 'loop'
  | 'listeners'
  | 'status'
  | 'state'
  | 'hasExternal'
  | 'skip'
>;

export interface SpotifyPlaybackDeps {
  /** The music player; `NoVoicePlayback` in a process without Discord. */
  voice: VoicePlayback;
  device: SpotifyDevicePlayer;
  queue: Pick<QueueService, 'next' | 'nowPlaying' | 'devicePlaybacks' | 'saveDevicePlayback'>;
  mode(guildId: string): Promise<SpotifyMode>;
  logger: Logger;
}

/**
 * The controls commands use, in front of both players: while a Spotify item plays on the guild's
 * device (device mode) pause, resume, skip and stop go to the device player, otherwise to the voice
 * player. Starting the queue goes to the device when the voice player is idle, the next item is a
 * Spotify item and the guild is in device mode; when the device player reaches an item that is not
 * its own it hands the queue back to the voice player, in the channel it last knew.
 */
export class SpotifyAwarePlayback {
  private readonly deps: SpotifyPlaybackDeps;
  /** The voice channel each guild last asked to play in (for a hand-over from the device). */
  private readonly channels = new Map<string, string>();

  constructor(deps: SpotifyPlaybackDeps) {
    this.deps = deps;
  }

  /**
   * Starts the queue: on the device when it is the device's turn, else in `channelId` by voice.
   * @throws UserError NOT_IN_VOICE, the voice layer's and Spotify's errors
   */
  async ensurePlaying(guildId: string, channelId: string | null): Promise<void> {
    if (channelId) this.channels.set(guildId, channelId);
    if (await this.startOnDevice(guildId)) return;
    await this.deps.voice.ensurePlaying(guildId, channelId);
  }

  /**
   * Starts the queue on the device when it is the device's turn (no voice channel needed).
   * False when it is not (the member then has to be in a voice channel).
   */
  async startWithoutVoice(guildId: string): Promise<boolean> {
    return this.startOnDevice(guildId);
  }

  /**
   * After a restart: follows the device again for each guild whose queue was playing on it (of the
   * guilds `accept` lets through: those this process serves), with no new command, so that the queue
   * moves on when the song ends. A guild whose queue no longer plays the recorded item is forgotten.
   * Resolves with the guilds followed again; failures are logged, not thrown.
   */
  async resumeDevices(accept: (guildId: string) => boolean = () => true): Promise<string[]> {
    const resumed: string[] = [];
    const records = await this.deps.queue.devicePlaybacks().catch((err) => {
      this.deps.logger.warn({ err: errText(err) }, 'could not read which guilds played on Spotify devices');
      return [];
    });
    for (const { guildId, itemId } of records) {
      if (!accept(guildId)) continue;
      try {
        const playing = await this.deps.queue.nowPlaying(guildId);
        if (playing?.id !== itemId || playing.track.provider !== 'spotify') {
          await this.deps.queue.saveDevicePlayback(guildId, null);
        } else if (await this.deps.device.start(guildId)) resumed.push(guildId);
      } catch (err) {
        this.deps.logger.warn({ guildId, err: errText(err) }, 'could not follow the Spotify device again');
      }
    }
    return resumed;
  }

  /** The device player's hand-over: the queue continues by voice where the bot last played. */
  async handOff(guildId: string): Promise<void> {
    const channelId = this.channels.get(guildId) ?? this.deps.voice.status(guildId).channelId ?? null;
    if (!channelId) {
      this.deps.logger.info(
        { guildId },
        'the next song plays in voice: waiting for /play in a voice channel',
      );
      return;
    }
    await this.deps.voice.ensurePlaying(guildId, channelId);
  }

  /** Skips at once for DJs and the requester; a song on the device cannot be vote-skipped (no listeners). */
  async requestSkip(
    guildId: string,
    request: { userId: string; privileged: boolean; ratio: number },
  ): Promise<SkipOutcome> {
    await this.deps.device.settled(guildId); // a track change on the device may be under way
    const item = this.deps.device.current(guildId);
    if (!item) return this.deps.voice.requestSkip(guildId, request);
    if (!request.privileged && item.requestedBy !== request.userId) {
      throw new UserError(
        'FORBIDDEN',
        'This song plays on the Spotify device: only DJs and the member who queued it can skip it.',
      );
    }
    return { skipped: true, item: await this.deps.device.skip(guildId) };
  }

  async pause(guildId: string): Promise<QueueItem> {
    await this.deps.device.settled(guildId);
    return this.deps.device.isActive(guildId)
      ? this.deps.device.pause(guildId)
      : this.deps.voice.pause(guildId);
  }

  async resume(guildId: string): Promise<QueueItem> {
    await this.deps.device.settled(guildId);
    return this.deps.device.isActive(guildId)
      ? this.deps.device.resume(guildId)
      : this.deps.voice.resume(guildId);
  }

  /** Stops the device's song, and leaves voice if the bot is there. */
  async stop(guildId: string): Promise<void> {
    await this.deps.device.settled(guildId);
    if (!this.deps.device.isActive(guildId)) return this.deps.voice.stop(guildId);
    await this.deps.device.stop(guildId);
    if (this.deps.voice.status(guildId).channelId) await this.deps.voice.stop(guildId);
  }

  seek(guildId: string, positionMs: number): Promise<{ item: QueueItem; positionMs: number }> {
    if (this.deps.device.isActive(guildId)) {
      return Promise.reject(
        new UserError('CONFLICT', 'This song plays on the Spotify device: seek in Spotify itself.'),
      );
    }
    return this.deps.voice.seek(guildId, positionMs);
  }

  setVolume(guildId: string, volume: number): Promise<number> {
    return this.deps.voice.setVolume(guildId, volume);
  }

  volume(guildId: string): number | null {
    return this.deps.voice.volume(guildId);
  }

  setFilter(guildId: string, preset: Parameters<VoicePlayback['setFilter']>[1]) {
    if (this.deps.device.isActive(guildId)) return deviceRefusal();
    return this.deps.voice.setFilter(guildId, preset);
  }

  setEq(guildId: string, eq: Parameters<VoicePlayback['setEq']>[1]) {
    if (this.deps.device.isActive(guildId)) return deviceRefusal();
    return this.deps.voice.setEq(guildId, eq);
  }

  filter(guildId: string) {
    return this.deps.voice.filter(guildId);
  }

  setLoop(guildId: string, mode: Parameters<VoicePlayback['setLoop']>[1]) {
    return this.deps.voice.setLoop(guildId, mode);
  }

  loop(guildId: string) {
    return this.deps.voice.loop(guildId);
  }

  listeners(guildId: string): string[] {
    return this.deps.voice.listeners(guildId);
  }

  /** Resolves once a track change on the device is done. */
  settled(guildId: string): Promise<void> {
    return this.deps.device.settled(guildId);
  }

  status(guildId: string): { state: string; positionMs: number | null; channelId: string | null } {
    const voice = this.deps.voice.status(guildId);
    return this.deps.device.isActive(guildId)
      ? { ...this.deps.device.status(guildId), channelId: voice.channelId ?? null }
      : { ...voice, channelId: voice.channelId ?? null };
  }

  /** Skips at once (a DJ's skip, e.g. from the REST API): on the device while it plays there. */
  async skip(guildId: string): Promise<QueueItem> {
    await this.deps.device.settled(guildId);
    if (this.deps.device.current(guildId)) return this.deps.device.skip(guildId);
    return this.deps.voice.skip(guildId);
  }

  /** The device's turn: the voice player is idle, the next item is Spotify's, the guild is in device mode. */
  private async startOnDevice(guildId: string): Promise<boolean> {
    if (this.deps.device.isActive(guildId)) return true;
    // The voice player has the queue, or the radio has the guild: the device waits its turn.
    if (this.deps.voice.state(guildId).kind !== 'idle' || this.deps.voice.hasExternal(guildId)) return false;
    const head = (await this.deps.queue.nowPlaying(guildId)) ?? (await this.deps.queue.next(guildId));
    if (head?.track.provider !== 'spotify') return false;
    if ((await this.deps.mode(guildId)) !== 'device') return false;
    return this.deps.device.start(guildId);
  }
}

/** Filters change the bot's voice audio: a song on the Spotify device is not the bot's to filter. */
function deviceRefusal(): Promise<never> {
  return Promise.reject(
    new UserError(
      'CONFLICT',
      'This song plays on the Spotify device: filters work on songs played in voice.',
    ),
  );
}
