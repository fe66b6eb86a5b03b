import { UserError } from '../core/errors.ts';
import type { QueueItem } from '../core/track.ts';
import {
  type ExternalAudio,
  type LoopMode,
  nothingPlaying,
  PlayerCore,
  type SkipOutcome,
} from './player-core.ts';
import type { PlayableStream } from './ports.ts';
import { SkipVotes } from './skip-votes.ts';
import { positionOf } from './state.ts';

export type { ExternalAudio, LoopMode, MusicPlayerDeps, PlayerEvent, SkipOutcome } from './player-core.ts';
export { SNAPSHOT_INTERVAL_MS } from './player-core.ts';

/**
 * The music player: per guild, the seed's play flow (next item -> mark playing -> provider stream ->
 * voice -> `now_playing`), auto-advance when a track ends, skip, pause, resume and stop. Knows guild and
 * channel ids only; the voice connection is behind `VoicePort`.
 */
export class MusicPlayer extends PlayerCore {
  private readonly skipVotes = new SkipVotes();

  /** Saves every playing guild's position; the composition root runs it every few seconds. */
  saveAll(): void {
    for (const [guildId, g] of this.guilds) if (g.state.kind === 'playing') void this.snapshot(guildId, g);
  }

  /**
   * After a restart: rejoins the saved channel and plays the saved item from near where it was.
   * Gives up (and forgets the snapshot) when the item is no longer playing in the queue.
   */
  restore(snapshot: {
    guildId: string;
    channelId: string;
    itemId: string;
    positionMs: number;
  }): Promise<boolean> {
    const { guildId, channelId, itemId, positionMs } = snapshot;
    return this.exclusive(guildId, async (g) => {
      const item = await this.deps.queue.nowPlaying(guildId);
      if (!item || item.id !== itemId || g.state.kind !== 'idle') {
        await this.deps.queue.savePlayback(guildId, null);
        return false;
      }
      await this.connect(guildId, g, channelId);
      await this.start(guildId, g, item, positionMs);
      this.log(guildId).info({ itemId, positionMs }, 'resumed playback after a restart');
      return true;
    });
  }

  /**
   * Joins `channelId` if needed and starts the queue when nothing is playing.
   * @throws UserError NOT_IN_VOICE, and the voice layer's join errors
   */
  ensurePlaying(guildId: string, channelId: string | null): Promise<void> {
    return this.exclusive(guildId, async (g) => {
      if (g.state.kind === 'playing' || g.state.kind === 'paused' || g.state.kind === 'starting') return;
      // The radio has the channel: songs wait in the queue until the mode is music again.
      if (g.external) return;
      const target = channelId ?? g.session?.channelId ?? null;
      if (!target) throw new UserError('NOT_IN_VOICE', 'Join a voice channel first, then try again.');
      if (!g.session || g.session.channelId !== target) {
        this.preopen(guildId, g);
        try {
          await this.connect(guildId, g, target);
        } catch (err) {
          const early = g.preopened;
          g.preopened = null;
          void early?.then((e) => e?.source.close());
          throw err;
        }
      }
      await this.playNext(guildId, g);
    });
  }

  /** Skips the playing song and plays the next. @throws UserError NOTHING_PLAYING */
  skip(guildId: string): Promise<QueueItem> {
    return this.exclusive(guildId, async (g) => {
      if (g.state.kind !== 'playing' && g.state.kind !== 'paused') throw nothingPlaying();
      const item = g.state.item;
      g.session?.stopTrack();
      this.closeSource(g);
      await this.deps.queue.skipCurrent(guildId);
      await this.playNext(guildId, g);
      return item;
    });
  }

  /**
   * Skips at once for the requester or a DJ (`privileged`); anyone else's request is a vote, counted
   * among the members listening, and skips once `ratio` of them agree.
   * @throws UserError NOTHING_PLAYING, NOT_IN_VOICE
   */
  async requestSkip(
    guildId: string,
    request: { userId: string; privileged: boolean; ratio: number },
  ): Promise<SkipOutcome> {
    const state = this.state(guildId);
    if (state.kind !== 'playing' && state.kind !== 'paused') throw nothingPlaying();
    const item = state.item;
    if (request.privileged || item.requestedBy === request.userId) {
      this.skipVotes.clear(guildId);
      return { skipped: true, item: await this.skip(guildId) };
    }
    const listeners = this.listeners(guildId);
    if (!listeners.includes(request.userId)) {
      throw new UserError('NOT_IN_VOICE', 'Only members listening in my voice channel can vote to skip.');
    }
    const vote = this.skipVotes.cast(guildId, item.id, request.userId, listeners, request.ratio);
    if (!vote.passed) return { skipped: false, item, ...vote };
    this.skipVotes.clear(guildId);
    return { skipped: true, item: await this.skip(guildId) };
  }

  /** @throws UserError NOTHING_PLAYING, CONFLICT (already paused) */
  pause(guildId: string): Promise<QueueItem> {
    return this.exclusive(guildId, async (g) => {
      if (g.state.kind === 'paused') throw new UserError('CONFLICT', 'The music is already paused.');
      if (g.state.kind !== 'playing') throw nothingPlaying();
      const positionMs = positionOf(g.state, this.deps.clock.now()) ?? 0;
      g.session?.pause();
      const { item, channelId } = g.state;
      this.transition(guildId, g, { kind: 'paused', channelId, item, positionMs });
      this.deps.bus.publish({ type: 'player.paused', guildId, item, positionMs });
      return item;
    });
  }

  /** @throws UserError NOTHING_PLAYING, CONFLICT (not paused, or the radio has the channel) */
  resume(guildId: string): Promise<QueueItem> {
    return this.exclusive(guildId, async (g) => {
      if (g.state.kind === 'playing') throw new UserError('CONFLICT', 'The music is not paused.');
      if (g.state.kind !== 'paused') throw nothingPlaying();
      if (g.external)
        throw new UserError('CONFLICT', 'The radio is playing: switch the mode to music first.');
      const { item, channelId, positionMs } = g.state;
      if (g.musicStale) {
        g.musicStale = false;
        await this.start(guildId, g, item, positionMs);
        this.deps.bus.publish({ type: 'player.resumed', guildId, item, positionMs });
        return item;
      }
      g.session?.resume();
      this.transition(guildId, g, {
        kind: 'playing',
        channelId,
        item,
        startedAt: this.deps.clock.now(),
        offsetMs: positionMs,
      });
      this.deps.bus.publish({ type: 'player.resumed', guildId, item, positionMs });
      return item;
    });
  }

  /**
   * Jumps to `positionMs` in the playing song (re-opened there; decoding goes through ffmpeg).
   * A paused song stays paused at the new place.
   * @throws UserError NOTHING_PLAYING, CONFLICT (a live stream), INVALID_INPUT (past the end)
   */
  seek(guildId: string, positionMs: number): Promise<{ item: QueueItem; positionMs: number }> {
    return this.exclusive(guildId, async (g) => {
      if (g.state.kind !== 'playing' && g.state.kind !== 'paused') throw nothingPlaying();
      const item = g.state.item;
      const duration = item.track.durationMs;
      if (item.track.metadata.live === true || (duration === null && item.track.provider !== 'http')) {
        throw new UserError('CONFLICT', 'A live stream cannot be seeked.');
      }
      // Direct audio files have no known duration: any time goes, and past the end the song ends.
      if (!Number.isInteger(positionMs) || positionMs < 0 || (duration !== null && positionMs >= duration)) {
        const end = duration === null ? 'its end' : clock(duration);
        throw new UserError('INVALID_INPUT', `Pick a time between 0:00 and ${end}.`);
      }
      await this.reopen(guildId, g, item, positionMs);
      return { item, positionMs };
    });
  }

  /**
   * Sets the guild's volume (0..100) for this session; the playing song continues at its place.
   * @throws UserError INVALID_INPUT
   */
  setVolume(guildId: string, volume: number): Promise<number> {
    if (!Number.isInteger(volume) || volume < 0 || volume > 100) {
      return Promise.reject(new UserError('INVALID_INPUT', 'The volume is a whole number from 0 to 100.'));
    }
    return this.exclusive(guildId, async (g) => {
      const before = g.volume ?? (await this.deps.defaultVolume?.(guildId)) ?? 100;
      g.volume = volume;
      const state = g.state;
      if (before !== volume && (state.kind === 'playing' || state.kind === 'paused')) {
        await this.reopen(guildId, g, state.item, positionOf(state, this.deps.clock.now()) ?? 0);
      }
      return volume;
    });
  }

  volume(guildId: string): number | null {
    return this.guilds.get(guildId)?.volume ?? null;
  }

  /** Sets the loop mode: off, track (repeat the song) or queue (re-queue each song after it plays). */
  setLoop(guildId: string, mode: LoopMode): Promise<LoopMode> {
    return this.exclusive(guildId, async (g) => {
      g.loop = mode;
      return mode;
    });
  }

  loop(guildId: string): LoopMode {
    return this.guilds.get(guildId)?.loop ?? 'off';
  }

  /** Plays `item` again from `positionMs`, keeping a paused player paused. */
  private async reopen(
    guildId: string,
    g: Parameters<PlayerCore['start']>[1],
    item: QueueItem,
    positionMs: number,
  ): Promise<void> {
    const wasPaused = g.state.kind === 'paused';
    this.closeSource(g);
    await this.start(guildId, g, item, positionMs);
    if (wasPaused && g.state.kind === 'playing') {
      g.session?.pause();
      this.transition(guildId, g, { kind: 'paused', channelId: g.state.channelId, item, positionMs });
    }
  }

  /**
   * Plays a live source (a radio station) in the guild's voice session: the one the bot is in, else
   * `channelId`. Music must be paused or idle (the mode controller pauses it); a paused song is
   * re-opened at its place when it resumes. `audio` hears when the source ends or the session goes.
   * @throws UserError CONFLICT (music playing), NOT_IN_VOICE, and the voice layer's join errors
   */
  playExternal(
    guildId: string,
    channelId: string | null,
    source: PlayableStream,
    audio: ExternalAudio,
  ): Promise<void> {
    return this.exclusive(guildId, async (g) => {
      if (g.state.kind === 'playing' || g.state.kind === 'starting' || g.state.kind === 'connecting') {
        source.close();
        throw new UserError('CONFLICT', 'Music is playing: switch the mode to radio to play a station.');
      }
      if (!g.session) {
        if (!channelId) {
          source.close();
          throw new UserError('NOT_IN_VOICE', 'Join a voice channel first, then try again.');
        }
        await this.connect(guildId, g, channelId).catch((err) => {
          source.close();
          throw err;
        });
        this.transition(guildId, g, { kind: 'idle' });
      }
      if (g.state.kind === 'paused' && g.source) {
        this.closeSource(g);
        g.musicStale = true;
      }
      g.external = audio;
      try {
        await g.session!.play(source);
      } catch (err) {
        g.external = null;
        source.close();
        throw err;
      }
    });
  }

  /** Stops the live source, if one plays; the bot stays in the channel (the idle timer runs). */
  stopExternal(guildId: string): Promise<void> {
    return this.exclusive(guildId, async (g) => {
      if (!g.external) return;
      g.external = null;
      g.session?.stopTrack();
      if (g.state.kind === 'idle') this.armIdleTimer(guildId, g);
    });
  }

  /** Whether a live source (the radio) has the guild's voice session. */
  hasExternal(guildId: string): boolean {
    return (this.guilds.get(guildId)?.external ?? null) !== null;
  }

  /** The voice channel the bot is in for the guild, or null. */
  channelOf(guildId: string): string | null {
    return this.guilds.get(guildId)?.session?.channelId ?? null;
  }

  /** Stops playback and leaves the voice channel; the queue stays. @throws UserError NOT_CONNECTED */
  stop(guildId: string): Promise<void> {
    return this.exclusive(guildId, async (g) => {
      if (!g.session) throw new UserError('NOT_CONNECTED', 'I am not in a voice channel.');
      const wasPlaying = g.state.kind === 'playing' || g.state.kind === 'paused';
      g.session.leave();
      g.session = null;
      this.dropExternal(g, 'stopped');
      this.closeSource(g);
      if (wasPlaying) await this.deps.queue.skipCurrent(guildId);
      this.transition(guildId, g, { kind: 'idle' });
      this.deps.bus.publish({ type: 'player.idle', guildId, reason: 'stopped' });
    });
  }

  /** Leaves every channel (shutdown). The playing items stay marked playing for a later resume. */
  async shutdown(): Promise<void> {
    const saves: Promise<void>[] = [];
    for (const [guildId, g] of this.guilds) {
      if (g.state.kind === 'playing') saves.push(this.snapshot(guildId, g));
      if (g.idleTimer) clearTimeout(g.idleTimer);
      g.session?.leave();
      g.session = null;
      this.closeSource(g);
    }
    await Promise.all(saves);
  }
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60));
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${mm.padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}
