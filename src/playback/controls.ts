import type { Clock } from '../core/clock.ts';
import { UserError } from '../core/errors.ts';
import type { EventBus } from '../core/events.ts';
import type { QueueItem } from '../core/track.ts';
import type { QueueService } from '../queue/service.ts';
import {
  type AudioFilter,
  checkEq,
  type EqGains,
  type FilterPreset,
  filterable,
  isFilterOn,
  NO_EQ,
  speedOf,
} from './filters.ts';
import { closeSource, type Exclusive, type GuildPlayer } from './guilds.ts';
import { SkipVotes } from './skip-votes.ts';
import { type PlayerState, positionOf } from './state.ts';
import type { LoopMode, PlayerEvent, SkipOutcome } from './types.ts';

export interface PlayerControlsDeps {
  exclusive: Exclusive;
  /** The guild's player if it has one (for reads outside the lock). */
  peek(guildId: string): GuildPlayer | undefined;
  queue: Pick<QueueService, 'skipCurrent'>;
  /** The play flow: play an item from a position, play the queue's next, re-open the playing item. */
  flow: {
    start(guildId: string, g: GuildPlayer, item: QueueItem, offsetMs: number): Promise<void>;
    playNext(guildId: string, g: GuildPlayer): Promise<void>;
    reopen(guildId: string, g: GuildPlayer, item: QueueItem, positionMs: number): Promise<void>;
  };
  /** Moves the guild's player to another state (`Transitions.to`). */
  transition(guildId: string, g: GuildPlayer, next: PlayerState): void;
  /** The guild's default volume, 0..100. */
  defaultVolume(guildId: string): Promise<number>;
  clock: Clock;
  bus: EventBus<PlayerEvent>;
}

/** What people do to the playing song: skip (or vote to), pause, resume, seek, volume and loop. */
export class PlayerControls {
  private readonly deps: PlayerControlsDeps;
  private readonly skipVotes = new SkipVotes();

  constructor(deps: PlayerControlsDeps) {
    this.deps = deps;
  }

  /** Skips the playing song and plays the next. @throws UserError NOTHING_PLAYING */
  skip(guildId: string): Promise<QueueItem> {
    return this.deps.exclusive(guildId, async (g) => {
      if (g.state.kind !== 'playing' && g.state.kind !== 'paused') throw nothingPlaying();
      const item = g.state.item;
      g.session?.stopTrack();
      closeSource(g);
      await this.deps.queue.skipCurrent(guildId);
      await this.deps.flow.playNext(guildId, g);
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
    const g = this.deps.peek(guildId);
    const state: PlayerState = g?.state ?? { kind: 'idle' };
    if (state.kind !== 'playing' && state.kind !== 'paused') throw nothingPlaying();
    const item = state.item;
    if (request.privileged || item.requestedBy === request.userId) {
      this.skipVotes.clear(guildId);
      return { skipped: true, item: await this.skip(guildId) };
    }
    const listeners = g?.session?.listeners() ?? [];
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
    return this.deps.exclusive(guildId, async (g) => {
      if (g.state.kind === 'paused') throw new UserError('CONFLICT', 'The music is already paused.');
      if (g.state.kind !== 'playing') throw nothingPlaying();
      const positionMs = positionOf(g.state, this.deps.clock.now()) ?? 0;
      g.session?.pause();
      const { item, channelId } = g.state;
      this.deps.transition(guildId, g, { kind: 'paused', channelId, item, positionMs });
      this.deps.bus.publish({ type: 'player.paused', guildId, item, positionMs });
      return item;
    });
  }

  /** @throws UserError NOTHING_PLAYING, CONFLICT (not paused, or the radio has the channel) */
  resume(guildId: string): Promise<QueueItem> {
    return this.deps.exclusive(guildId, async (g) => {
      if (g.state.kind === 'playing') throw new UserError('CONFLICT', 'The music is not paused.');
      if (g.state.kind !== 'paused') throw nothingPlaying();
      if (g.external)
        throw new UserError('CONFLICT', 'The radio is playing: switch the mode to music first.');
      const { item, channelId, positionMs } = g.state;
      if (g.musicStale) {
        // The radio replaced the paused song's audio: open it again at its place.
        g.musicStale = false;
        await this.deps.flow.start(guildId, g, item, positionMs);
        this.deps.bus.publish({ type: 'player.resumed', guildId, item, positionMs });
        return item;
      }
      g.session?.resume();
      this.deps.transition(guildId, g, {
        kind: 'playing',
        channelId,
        item,
        startedAt: this.deps.clock.now(),
        offsetMs: positionMs,
        speed: filterable(item.track) ? speedOf(g.filter) : 1,
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
    return this.deps.exclusive(guildId, async (g) => {
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
      await this.deps.flow.reopen(guildId, g, item, positionMs);
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
    return this.deps.exclusive(guildId, async (g) => {
      const before = g.volume ?? (await this.deps.defaultVolume(guildId));
      g.volume = volume;
      const state = g.state;
      if (before !== volume && (state.kind === 'playing' || state.kind === 'paused')) {
        await this.deps.flow.reopen(guildId, g, state.item, positionOf(state, this.deps.clock.now()) ?? 0);
      }
      return volume;
    });
  }

  /**
   * Sets the filter preset (`off`: no preset and a flat equaliser) for this session; the playing
   * song is re-opened at its place through it, and the songs after it play through it too.
   * @throws UserError NOTHING_PLAYING, CONFLICT (the radio has the channel, or a live stream plays)
   */
  setPreset(guildId: string, preset: FilterPreset | 'off'): Promise<AudioFilter> {
    return this.changeFilter(guildId, (current) =>
      preset === 'off' ? { preset: null, eq: NO_EQ } : { preset, eq: current?.eq ?? NO_EQ },
    );
  }

  /**
   * Sets the equaliser's gains (dB) for this session, beside the preset; a band left out keeps its
   * gain, and all 0 turns the equaliser off.
   * @throws UserError INVALID_INPUT (a gain out of range), NOTHING_PLAYING, CONFLICT (as setPreset)
   */
  setEq(guildId: string, eq: Partial<EqGains>): Promise<AudioFilter> {
    let gains: Partial<EqGains>;
    try {
      gains = checkEq(eq);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.changeFilter(guildId, (current) => ({
      preset: current?.preset ?? null,
      eq: { ...(current?.eq ?? NO_EQ), ...gains },
    }));
  }

  private changeFilter(
    guildId: string,
    next: (current: AudioFilter | null) => AudioFilter,
  ): Promise<AudioFilter> {
    return this.deps.exclusive(guildId, async (g) => {
      if (g.external) {
        throw new UserError(
          'CONFLICT',
          'The radio is playing: filters work on songs only. Switch the mode to music first.',
          { reason: 'radio' },
        );
      }
      const state = g.state;
      if (state.kind !== 'playing' && state.kind !== 'paused') throw nothingPlaying();
      if (!filterable(state.item.track)) {
        throw new UserError('CONFLICT', 'A live stream cannot be filtered: filters work on songs only.', {
          reason: 'live',
        });
      }
      const before = g.filter;
      const filter = next(before);
      g.filter = isFilterOn(filter) ? filter : null;
      if (JSON.stringify(before) !== JSON.stringify(g.filter)) {
        await this.deps.flow.reopen(guildId, g, state.item, positionOf(state, this.deps.clock.now()) ?? 0);
      }
      return g.filter ?? { preset: null, eq: NO_EQ };
    });
  }

  /** Sets the loop mode: off, track (repeat the song) or queue (re-queue each song after it plays). */
  setLoop(guildId: string, mode: LoopMode): Promise<LoopMode> {
    return this.deps.exclusive(guildId, async (g) => {
      g.loop = mode;
      return mode;
    });
  }
}

function nothingPlaying(): UserError {
  return new UserError('NOTHING_PLAYING', 'Nothing is playing right now.');
}

/** `m:ss` or `h:mm:ss`, as in the refusal's text. */
function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60));
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${mm.padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}
