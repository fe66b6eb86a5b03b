import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { QueueItem } from '../core/track.ts';
import type { QueueService } from '../queue/service.ts';
import type { Exclusive, GuildPlayer } from './guilds.ts';
import type { VoiceSession } from './ports.ts';
import { positionOf } from './state.ts';

/** How often the playing position is saved for a resume after a crash. */
export const SNAPSHOT_INTERVAL_MS = 3_000;

export interface SnapshotsDeps {
  queue: Pick<QueueService, 'savePlayback'>;
  clock: Clock;
  log(guildId: string): Logger;
}

/**
 * Saves where a guild's playback is (channel, item, position, paused) in the queue store, so that a
 * restarted bot resumes it (see `PlaybackResume`); with nothing playing, the snapshot is cleared.
 */
export class Snapshots {
  private readonly deps: SnapshotsDeps;

  constructor(deps: SnapshotsDeps) {
    this.deps = deps;
  }

  /** Saves the guild's snapshot now; a failure is logged, never thrown. */
  save(guildId: string, g: GuildPlayer): Promise<void> {
    const state = g.state;
    const snapshot =
      (state.kind === 'playing' || state.kind === 'paused') && g.session
        ? {
            channelId: state.channelId,
            itemId: state.item.id,
            positionMs: positionOf(state, this.deps.clock.now()) ?? 0,
            paused: state.kind === 'paused',
          }
        : null;
    return this.deps.queue
      .savePlayback(guildId, snapshot)
      .catch((err) => this.deps.log(guildId).warn({ err }, 'saving the playback position failed'));
  }

  /** Saves every playing guild's position (the composition root runs it every few seconds). */
  saveAll(guilds: Iterable<[string, GuildPlayer]>): Promise<void>[] {
    const saves: Promise<void>[] = [];
    for (const [guildId, g] of guilds) if (g.state.kind === 'playing') saves.push(this.save(guildId, g));
    return saves;
  }
}

export interface PlaybackResumeDeps {
  exclusive: Exclusive;
  queue: Pick<QueueService, 'nowPlaying' | 'savePlayback'>;
  /** Joins the channel (the guild's player goes connecting). */
  connect(guildId: string, g: GuildPlayer, channelId: string): Promise<VoiceSession>;
  /** Plays the item from the position in the guild's session. */
  start(guildId: string, g: GuildPlayer, item: QueueItem, offsetMs: number): Promise<void>;
  log(guildId: string): Logger;
}

/** After a restart: picks a guild's playback up where its snapshot left it. */
export class PlaybackResume {
  private readonly deps: PlaybackResumeDeps;

  constructor(deps: PlaybackResumeDeps) {
    this.deps = deps;
  }

  /**
   * Rejoins the saved channel and plays the saved item from near where it was. Gives up (and
   * forgets the snapshot) when the item is no longer playing in the queue or the guild plays already.
   * @throws the voice layer's join errors and the song's open errors
   */
  restore(snapshot: {
    guildId: string;
    channelId: string;
    itemId: string;
    positionMs: number;
  }): Promise<boolean> {
    const { guildId, channelId, itemId, positionMs } = snapshot;
    return this.deps.exclusive(guildId, async (g) => {
      const item = await this.deps.queue.nowPlaying(guildId);
      if (!item || item.id !== itemId || g.state.kind !== 'idle') {
        await this.deps.queue.savePlayback(guildId, null);
        return false;
      }
      await this.deps.connect(guildId, g, channelId);
      await this.deps.start(guildId, g, item, positionMs);
      this.deps.log(guildId).info({ itemId, positionMs }, 'resumed playback after a restart');
      return true;
    });
  }
}
