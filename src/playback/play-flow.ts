import type { Clock } from '../core/clock.ts';
import { isUserError, UserError } from '../core/errors.ts';
import type { EventBus } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import type { QueueItem } from '../core/track.ts';
import type { QueueService } from '../queue/service.ts';
import { filterable, filterChain, speedOf } from './filters.ts';
import { closeSource, type GuildPlayer } from './guilds.ts';
import type { PlayableStream, StreamSource, VoicePort } from './ports.ts';
import type { PlayerState } from './state.ts';
import type { PlayerEvent } from './types.ts';

export interface PlayFlowDeps {
  queue: Pick<QueueService, 'markPlaying' | 'skipCurrent' | 'next'>;
  streams: StreamSource;
  voice: Pick<VoicePort, 'prepare'>;
  /** The guild's default volume, 0..100. */
  defaultVolume(guildId: string): Promise<number>;
  /** Moves the guild's player to another state (`Transitions.to`). */
  transition(guildId: string, g: GuildPlayer, next: PlayerState): void;
  clock: Clock;
  bus: EventBus<PlayerEvent>;
  log(guildId: string): Logger;
}

/**
 * The play flow, in the guild's voice session: the queue's next item -> mark playing -> the
 * provider's stream at the guild's volume -> voice -> `now_playing`; an item that cannot start is
 * skipped and the next one tried. The caller holds the guild's lock.
 */
export class PlayFlow {
  private readonly deps: PlayFlowDeps;

  constructor(deps: PlayFlowDeps) {
    this.deps = deps;
  }

  /** Plays queued items until one starts; the queue's order decides which. Idle when none is left. */
  async playNext(guildId: string, g: GuildPlayer): Promise<void> {
    const session = g.session;
    if (!session) {
      this.deps.transition(guildId, g, { kind: 'idle' });
      return;
    }
    for (;;) {
      let item: QueueItem;
      try {
        item = await this.deps.queue.markPlaying(guildId);
      } catch (err) {
        if (isUserError(err) && err.code === 'QUEUE_EMPTY') {
          this.deps.transition(guildId, g, { kind: 'idle' });
          this.deps.bus.publish({ type: 'player.idle', guildId, reason: 'queue_empty' });
          return;
        }
        throw err;
      }
      try {
        await this.start(guildId, g, item, 0);
        return;
      } catch (err) {
        closeSource(g);
        const message = isUserError(err) ? err.message : 'The song could not be played.';
        this.deps.log(guildId).warn({ err, itemId: item.id }, 'track could not start; skipping it');
        this.deps.bus.publish({ type: 'player.track_failed', guildId, item, message });
        await this.deps.queue.skipCurrent(guildId);
      }
    }
  }

  /**
   * Opens `item` at `offsetMs` with the guild's volume and plays it in the guild's session:
   * starting -> playing, and `now_playing`. On failure the source is released and the error thrown.
   * @throws UserError NOT_CONNECTED, and the provider's and the voice layer's errors
   */
  async start(guildId: string, g: GuildPlayer, item: QueueItem, offsetMs: number): Promise<void> {
    const session = g.session;
    if (!session) throw new UserError('NOT_CONNECTED', 'I am not in a voice channel.');
    this.deps.transition(guildId, g, { kind: 'starting', channelId: session.channelId, item });
    const early = g.preopened ? await g.preopened : null;
    g.preopened = null;
    let source: PlayableStream;
    if (early && early.itemId === item.id && offsetMs === 0) {
      source = early.source;
    } else {
      early?.source.close();
      source = await this.openSource(guildId, g, item, offsetMs);
    }
    g.source = source;
    try {
      await session.play(source);
    } catch (err) {
      closeSource(g);
      throw err;
    }
    this.deps.transition(guildId, g, {
      kind: 'playing',
      channelId: session.channelId,
      item,
      startedAt: this.deps.clock.now(),
      offsetMs,
      speed: filterable(item.track) ? speedOf(g.filter) : 1,
    });
    this.deps.bus.publish({ type: 'player.now_playing', guildId, item });
  }

  /**
   * Plays `item` again from `positionMs` (a seek, a volume or filter change), keeping a paused player
   * paused.
   */
  async reopen(guildId: string, g: GuildPlayer, item: QueueItem, positionMs: number): Promise<void> {
    const wasPaused = g.state.kind === 'paused';
    // Stop the voice player first: closing the source under it ends the track with an error, which
    // would mark the song skipped.
    g.session?.stopTrack();
    closeSource(g);
    await this.start(guildId, g, item, positionMs);
    if (wasPaused && g.state.kind === 'playing') {
      g.session?.pause();
      this.deps.transition(guildId, g, { kind: 'paused', channelId: g.state.channelId, item, positionMs });
    }
  }

  /**
   * Opens the next song's audio (and starts its decoder) while the voice connection is being made,
   * so that joining and opening overlap; `start` uses it when that song is still the one to play.
   */
  preopen(guildId: string, g: GuildPlayer): void {
    g.preopened = this.deps.queue
      .next(guildId)
      .then(async (item) => {
        if (!item) return null;
        const source = await this.openSource(guildId, g, item, 0);
        return { itemId: item.id, source: this.deps.voice.prepare?.(source) ?? source };
      })
      .catch(() => null); // opened again (and its error handled) when it starts
  }

  /** Drops a preopened song that will not play (the join failed). */
  discardPreopened(g: GuildPlayer): void {
    const early = g.preopened;
    g.preopened = null;
    void early?.then((e) => e?.source.close());
  }

  /** The item's audio at `offsetMs`, with the guild's volume and filter (a live stream plays unfiltered). */
  private async openSource(
    guildId: string,
    g: GuildPlayer,
    item: QueueItem,
    offsetMs: number,
  ): Promise<PlayableStream> {
    const volume = g.volume ?? (await this.deps.defaultVolume(guildId));
    const filter = filterable(item.track) ? filterChain(g.filter) : null;
    const opened = await this.deps.streams.open(item.track, offsetMs ? { seekMs: offsetMs } : {});
    return {
      ...opened,
      ...(offsetMs ? { seekMs: offsetMs } : {}),
      ...(volume !== 100 ? { volume } : {}),
      ...(filter ? { filter } : {}),
    };
  }
}
