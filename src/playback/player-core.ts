import { isUserError, UserError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { QueueItem } from '../core/track.ts';
import type { PlayableStream, VoiceSession } from './ports.ts';
import { type PlayerState, positionOf, TRANSITIONS } from './state.ts';
import type { GuildPlayer, MusicPlayerDeps } from './types.ts';

export type { ExternalAudio, LoopMode, MusicPlayerDeps, PlayerEvent, SkipOutcome } from './types.ts';

/** How often the playing position is saved for a resume after a crash. */
export const SNAPSHOT_INTERVAL_MS = 3_000;

/**
 * The player's state machine and play flow, per guild: transitions in one place, one operation at a
 * time per guild, the seed's play flow with auto-advance, and what happens when the voice session ends,
 * empties or idles. `MusicPlayer` (player.ts) adds the controls people use.
 */
export class PlayerCore {
  protected readonly deps: MusicPlayerDeps;
  protected readonly guilds = new Map<string, GuildPlayer>();

  constructor(deps: MusicPlayerDeps) {
    this.deps = deps;
  }

  protected guild(guildId: string): GuildPlayer {
    let g = this.guilds.get(guildId);
    if (!g) {
      g = {
        state: { kind: 'idle' },
        session: null,
        source: null,
        lock: Promise.resolve(),
        idleTimer: null,
        loop: 'off',
        volume: null,
        external: null,
        musicStale: false,
        preopened: null,
      };
      this.guilds.set(guildId, g);
    }
    return g;
  }

  protected exclusive<T>(guildId: string, fn: (g: GuildPlayer) => Promise<T>): Promise<T> {
    const g = this.guild(guildId);
    const run = g.lock.then(() => fn(g));
    g.lock = run.catch(() => {});
    return run;
  }

  protected transition(guildId: string, g: GuildPlayer, next: PlayerState): void {
    if (!TRANSITIONS[g.state.kind].includes(next.kind)) {
      throw new Error(`player ${guildId}: no transition ${g.state.kind} -> ${next.kind}`);
    }
    g.state = next;
    if (g.idleTimer && next.kind !== 'idle') {
      clearTimeout(g.idleTimer);
      g.idleTimer = null;
    }
    if (next.kind === 'idle') this.armIdleTimer(guildId, g);
    if (next.kind === 'idle' || next.kind === 'playing' || next.kind === 'paused')
      void this.snapshot(guildId, g);
  }

  /** With a voice connection and nothing to play: leave after the idle timeout unless 24/7. */
  protected armIdleTimer(guildId: string, g: GuildPlayer): void {
    if (!g.session || g.idleTimer) return;
    g.idleTimer = setTimeout(() => {
      g.idleTimer = null;
      void this.exclusive(guildId, async (guild) => {
        if (guild.state.kind !== 'idle' || !guild.session || guild.external) return;
        if (await this.deps.stayInVoice(guildId)) return;
        this.log(guildId).info('leaving voice after the idle timeout');
        guild.session.leave();
        guild.session = null;
        this.deps.bus.publish({ type: 'player.idle', guildId, reason: 'stopped' });
      }).catch((err) => this.log(guildId).warn({ err }, 'idle leave failed'));
    }, this.deps.idleTimeoutMs);
    g.idleTimer.unref();
  }

  /** Saves where the guild's playback is, so that a restarted bot resumes it (see `restore`). */
  protected snapshot(guildId: string, g: GuildPlayer): Promise<void> {
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
      .catch((err) => this.log(guildId).warn({ err }, 'saving the playback position failed'));
  }

  state(guildId: string): PlayerState {
    return this.guilds.get(guildId)?.state ?? { kind: 'idle' };
  }

  status(guildId: string): { state: string; positionMs: number | null; channelId: string | null } {
    const state = this.state(guildId);
    return {
      state: state.kind,
      positionMs: positionOf(state, this.deps.clock.now()),
      channelId:
        'channelId' in state ? state.channelId : (this.guilds.get(guildId)?.session?.channelId ?? null),
    };
  }

  listeners(guildId: string): string[] {
    return this.guilds.get(guildId)?.session?.listeners() ?? [];
  }

  /** Joins a voice channel (connecting -> back to idle if that fails) and follows the session. */
  protected async connect(guildId: string, g: GuildPlayer, channelId: string): Promise<VoiceSession> {
    this.transition(guildId, g, { kind: 'connecting', channelId });
    try {
      g.session = await this.deps.voice.join(guildId, channelId);
    } catch (err) {
      this.transition(guildId, g, { kind: 'idle' });
      throw err;
    }
    this.watch(guildId, g.session);
    return g.session;
  }

  protected watch(guildId: string, session: VoiceSession): void {
    session.onTrackEnd((reason, error) => {
      const external = this.guild(guildId).external;
      if (external && this.guild(guildId).session === session) {
        external.onEnd(reason, error);
        return;
      }
      void this.exclusive(guildId, async (g) => {
        if (g.session !== session || (g.state.kind !== 'playing' && g.state.kind !== 'paused')) return;
        const playedMs = positionOf(g.state, this.deps.clock.now()) ?? undefined;
        const item = g.state.item;
        this.closeSource(g);
        if (reason === 'finished' && g.loop === 'track') {
          const again = await this.start(guildId, g, item, 0).then(
            () => true,
            (err) => {
              this.log(guildId).warn({ err }, 'repeating the song failed');
              return false;
            },
          );
          if (again) return;
        }
        if (reason === 'error') {
          this.log(guildId).warn({ err: error?.message }, 'track failed while playing');
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
        await this.playNext(guildId, g);
      }).catch((err) => this.log(guildId).error({ err }, 'advancing the queue failed'));
    });
    session.onAlone(() => {
      void this.exclusive(guildId, async (g) => {
        if (g.session !== session || (await this.deps.stayInVoice(guildId))) return;
        this.log(guildId).info('everyone left the voice channel: leaving too');
        const wasPlaying = g.state.kind === 'playing' || g.state.kind === 'paused';
        session.leave();
        g.session = null;
        this.dropExternal(g, 'everyone left the voice channel');
        this.closeSource(g);
        if (wasPlaying) await this.deps.queue.skipCurrent(guildId);
        this.transition(guildId, g, { kind: 'idle' });
        this.deps.bus.publish({ type: 'player.idle', guildId, reason: 'stopped' });
      }).catch((err) => this.log(guildId).warn({ err }, 'leaving an empty channel failed'));
    });
    session.onGone((reason) => {
      void this.exclusive(guildId, async (g) => {
        if (g.session !== session) return;
        this.log(guildId).info({ reason }, 'voice connection gone');
        g.session = null;
        this.dropExternal(g, reason);
        this.closeSource(g);
        if (g.state.kind === 'playing' || g.state.kind === 'paused')
          await this.deps.queue.skipCurrent(guildId);
        this.transition(guildId, g, { kind: 'idle' });
        this.deps.bus.publish({ type: 'player.idle', guildId, reason: 'disconnected' });
      }).catch((err) => this.log(guildId).error({ err }, 'cleaning up after disconnect failed'));
    });
  }

  /** Plays queued items until one starts; the queue's order decides which. */
  protected async playNext(guildId: string, g: GuildPlayer): Promise<void> {
    const session = g.session;
    if (!session) {
      this.transition(guildId, g, { kind: 'idle' });
      return;
    }
    for (;;) {
      let item: QueueItem;
      try {
        item = await this.deps.queue.markPlaying(guildId);
      } catch (err) {
        if (isUserError(err) && err.code === 'QUEUE_EMPTY') {
          this.transition(guildId, g, { kind: 'idle' });
          this.deps.bus.publish({ type: 'player.idle', guildId, reason: 'queue_empty' });
          return;
        }
        throw err;
      }
      try {
        await this.start(guildId, g, item, 0);
        return;
      } catch (err) {
        this.closeSource(g);
        const message = isUserError(err) ? err.message : 'The song could not be played.';
        this.log(guildId).warn({ err, itemId: item.id }, 'track could not start; skipping it');
        this.deps.bus.publish({ type: 'player.track_failed', guildId, item, message });
        await this.deps.queue.skipCurrent(guildId);
      }
    }
  }

  /**
   * Opens `item` at `offsetMs` with the guild's volume and plays it in the guild's session:
   * starting -> playing, and `now_playing`. On failure the source is released and the error thrown.
   */
  protected async start(guildId: string, g: GuildPlayer, item: QueueItem, offsetMs: number): Promise<void> {
    const session = g.session;
    if (!session) throw new UserError('NOT_CONNECTED', 'I am not in a voice channel.');
    this.transition(guildId, g, { kind: 'starting', channelId: session.channelId, item });
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
      this.closeSource(g);
      throw err;
    }
    this.transition(guildId, g, {
      kind: 'playing',
      channelId: session.channelId,
      item,
      startedAt: this.deps.clock.now(),
      offsetMs,
    });
    this.deps.bus.publish({ type: 'player.now_playing', guildId, item });
  }

  /** The item's audio at `offsetMs`, with the guild's volume. */
  protected async openSource(
    guildId: string,
    g: GuildPlayer,
    item: QueueItem,
    offsetMs: number,
  ): Promise<PlayableStream> {
    const volume = g.volume ?? (await this.deps.defaultVolume?.(guildId)) ?? 100;
    const opened = await this.deps.streams.open(item.track, offsetMs ? { seekMs: offsetMs } : {});
    return {
      ...opened,
      ...(offsetMs ? { seekMs: offsetMs } : {}),
      ...(volume !== 100 ? { volume } : {}),
    };
  }

  /**
   * Opens the next song's audio (and starts its decoder) while the voice connection is being made,
   * so that joining and opening overlap; `start` uses it when that song is still the one to play.
   */
  protected preopen(guildId: string, g: GuildPlayer): void {
    g.preopened = this.deps.queue
      .next(guildId)
      .then(async (item) => {
        if (!item) return null;
        const source = await this.openSource(guildId, g, item, 0);
        return { itemId: item.id, source: this.deps.voice.prepare?.(source) ?? source };
      })
      .catch(() => null); // opened again (and its error handled) when it starts
  }

  /** Loop queue: a song that finished goes back into the queue, as its requester's. */
  private async requeue(guildId: string, item: QueueItem): Promise<void> {
    await this.deps.queue.add(guildId, item.track, item.requestedBy).catch((err) => {
      this.log(guildId).info({ err: err?.message, itemId: item.id }, 'loop: could not re-queue the song');
    });
  }

  /** Tells the external audio (if any) that the session is gone, and forgets it. */
  protected dropExternal(g: GuildPlayer, reason: string): void {
    const external = g.external;
    g.external = null;
    external?.onGone(reason);
  }

  protected closeSource(g: GuildPlayer): void {
    g.source?.close();
    g.source = null;
  }

  protected log(guildId: string): Logger {
    return this.deps.logger.child({ guildId });
  }
}

export function nothingPlaying(): UserError {
  return new UserError('NOTHING_PLAYING', 'Nothing is playing right now.');
}
