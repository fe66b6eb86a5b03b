import type { Clock } from '../core/clock.ts';
import type { EventBus } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import type { QueueItem } from '../core/track.ts';
import type { QueueService } from '../queue/service.ts';
import { closeSource, dropExternal, type Exclusive, type GuildPlayer } from './guilds.ts';
import type { VoicePort, VoiceSession } from './ports.ts';
import { type PlayerState, positionOf } from './state.ts';
import type { PlayerEvent } from './types.ts';

export interface VoiceLinkDeps {
  /** The guild's player, created on first use. */
  guild(guildId: string): GuildPlayer;
  exclusive: Exclusive;
  voice: Pick<VoicePort, 'join'>;
  queue: Pick<QueueService, 'skipCurrent' | 'markPlayed' | 'add'>;
  /** Moves the guild's player to another state (`Transitions.to`). */
  transition(guildId: string, g: GuildPlayer, next: PlayerState): void;
  /** The play flow: play an item from a position, or the queue's next one. */
  flow: {
    start(guildId: string, g: GuildPlayer, item: QueueItem, offsetMs: number): Promise<void>;
    playNext(guildId: string, g: GuildPlayer): Promise<void>;
  };
  /** Whether the guild stays in voice with nothing to play (24/7). */
  stayInVoice(guildId: string): Promise<boolean>;
  clock: Clock;
  bus: EventBus<PlayerEvent>;
  log(guildId: string): Logger;
}

/**
 * A guild's voice session, from joining to leaving: follows what the session reports (a track that
 * ended or failed moves the queue on, with the loop mode; an empty channel or a lost connection ends
 * the playing song and leaves), and tidies up when the bot leaves.
 */
export class VoiceLink {
  private readonly deps: VoiceLinkDeps;

  constructor(deps: VoiceLinkDeps) {
    this.deps = deps;
  }

  /**
   * Joins a voice channel (connecting -> back to idle if that fails) and follows the session.
   * @throws the voice layer's join errors (UserError NOT_CONNECTED / FORBIDDEN)
   */
  async connect(guildId: string, g: GuildPlayer, channelId: string): Promise<VoiceSession> {
    this.deps.transition(guildId, g, { kind: 'connecting', channelId });
    try {
      g.session = await this.deps.voice.join(guildId, channelId);
    } catch (err) {
      this.deps.transition(guildId, g, { kind: 'idle' });
      throw err;
    }
    this.watch(guildId, g.session);
    return g.session;
  }

  /**
   * After the session was left or lost: forgets it, tells the radio (if it had the channel), ends the
   * playing song as skipped and goes idle with `idleReason`. The caller holds the guild's lock.
   */
  async release(
    guildId: string,
    g: GuildPlayer,
    why: string,
    idleReason: 'stopped' | 'disconnected',
  ): Promise<void> {
    const wasPlaying = g.state.kind === 'playing' || g.state.kind === 'paused';
    g.session = null;
    dropExternal(g, why);
    closeSource(g);
    if (wasPlaying) await this.deps.queue.skipCurrent(guildId);
    this.deps.transition(guildId, g, { kind: 'idle' });
    this.deps.bus.publish({ type: 'player.idle', guildId, reason: idleReason });
  }

  private watch(guildId: string, session: VoiceSession): void {
    session.onTrackEnd((reason, error) => {
      const external = this.deps.guild(guildId).external;
      if (external && this.deps.guild(guildId).session === session) {
        external.onEnd(reason, error);
        return;
      }
      void this.deps
        .exclusive(guildId, (g) => this.trackEnded(guildId, g, session, reason, error))
        .catch((err) => this.deps.log(guildId).error({ err }, 'advancing the queue failed'));
    });
    session.onAlone(() => {
      void this.deps
        .exclusive(guildId, async (g) => {
          if (g.session !== session || (await this.deps.stayInVoice(guildId))) return;
          this.deps.log(guildId).info('everyone left the voice channel: leaving too');
          session.leave();
          await this.release(guildId, g, 'everyone left the voice channel', 'stopped');
        })
        .catch((err) => this.deps.log(guildId).warn({ err }, 'leaving an empty channel failed'));
    });
    session.onGone((reason) => {
      void this.deps
        .exclusive(guildId, async (g) => {
          if (g.session !== session) return;
          this.deps.log(guildId).info({ reason }, 'voice connection gone');
          await this.release(guildId, g, reason, 'disconnected');
        })
        .catch((err) => this.deps.log(guildId).error({ err }, 'cleaning up after disconnect failed'));
    });
  }

  /** A song ended by itself or failed: repeat it (loop track), or mark it and play the next. */
  private async trackEnded(
    guildId: string,
    g: GuildPlayer,
    session: VoiceSession,
    reason: 'finished' | 'error',
    error: Error | undefined,
  ): Promise<void> {
    if (g.session !== session || (g.state.kind !== 'playing' && g.state.kind !== 'paused')) return;
    const playedMs = positionOf(g.state, this.deps.clock.now()) ?? undefined;
    const item = g.state.item;
    closeSource(g);
    if (reason === 'finished' && g.loop === 'track') {
      const again = await this.deps.flow.start(guildId, g, item, 0).then(
        () => true,
        (err) => {
          this.deps.log(guildId).warn({ err }, 'repeating the song failed');
          return false;
        },
      );
      if (again) return;
    }
    if (reason === 'error') {
      this.deps.log(guildId).warn({ err: error?.message }, 'track failed while playing');
      this.deps.bus.publish({
        type: 'player.track_failed',
        guildId,
        item: g.state.item,
        message: 'The song stopped with an error.',
      });
      await this.deps.queue.skipCurrent(guildId);
    } else {
      await this.deps.queue.markPlayed(guildId, playedMs);
      if (g.loop === 'queue') await this.requeue(guildId, item);
    }
    await this.deps.flow.playNext(guildId, g);
  }

  /** Loop queue: a song that finished goes back into the queue, as its requester's. */
  private async requeue(guildId: string, item: QueueItem): Promise<void> {
    await this.deps.queue.add(guildId, item.track, item.requestedBy).catch((err) => {
      this.deps
        .log(guildId)
        .info({ err: err?.message, itemId: item.id }, 'loop: could not re-queue the song');
    });
  }
}
