import type { Clock } from '../core/clock.ts';
import { UserError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { QueueItem } from '../core/track.ts';
import { PlayerControls } from './controls.ts';
import { ExternalPlayback } from './external.ts';
import type { AudioFilter, EqGains, FilterPreset } from './filters.ts';
import { closeSource, PlayerGuilds } from './guilds.ts';
import { IdleLeave } from './idle-leave.ts';
import { PlayFlow } from './play-flow.ts';
import type { PlayableStream } from './ports.ts';
import { PlaybackResume, Snapshots } from './snapshots.ts';
import { type PlayerState, positionOf } from './state.ts';
import { Transitions } from './transitions.ts';
import type { ExternalAudio, LoopMode, MusicPlayerDeps, SkipOutcome } from './types.ts';
import { VoiceLink } from './voice-link.ts';

export { SNAPSHOT_INTERVAL_MS } from './snapshots.ts';
export type { ExternalAudio, LoopMode, MusicPlayerDeps, PlayerEvent, SkipOutcome } from './types.ts';

/**
 * The music player: per guild, the play flow (next item -> mark playing -> provider stream -> voice ->
 * `now_playing`), auto-advance when a track ends, skip, pause, resume and stop. Knows guild and
 * channel ids only; the voice connection is behind `VoicePort`.
 *
 * It is put together from collaborators, each in its own file: `PlayerGuilds` (state and the
 * per-guild lock), `Transitions` (the state machine), `PlayFlow`, `VoiceLink` (join, follow, leave),
 * `PlayerControls`, `ExternalPlayback` (the radio), `Snapshots` and `PlaybackResume`, `IdleLeave`.
 */
export class MusicPlayer {
  private readonly guilds = new PlayerGuilds();
  private readonly clock: Clock;
  private readonly snapshots: Snapshots;
  private readonly idle: IdleLeave;
  private readonly flow: PlayFlow;
  private readonly link: VoiceLink;
  private readonly resumer: PlaybackResume;
  private readonly controls: PlayerControls;
  private readonly external: ExternalPlayback;

  constructor(deps: MusicPlayerDeps) {
    const { exclusive } = this.guilds;
    const log = (guildId: string): Logger => deps.logger.child({ guildId });
    const stayInVoice = (guildId: string) => deps.stayInVoice(guildId);
    const defaultVolume = async (guildId: string) => (await deps.defaultVolume?.(guildId)) ?? 100;
    const { bus, clock, queue } = deps;
    this.clock = clock;
    this.snapshots = new Snapshots({ queue, clock, log });
    this.idle = new IdleLeave({ exclusive, stayInVoice, bus, log, idleTimeoutMs: deps.idleTimeoutMs });
    const states = new Transitions({ idle: this.idle, snapshots: this.snapshots });
    const transition = states.to.bind(states);
    this.flow = new PlayFlow({
      queue,
      streams: deps.streams,
      voice: deps.voice,
      defaultVolume,
      transition,
      clock,
      bus,
      log,
    });
    this.link = new VoiceLink({
      guild: (guildId) => this.guilds.get(guildId),
      exclusive,
      voice: deps.voice,
      queue,
      transition,
      flow: this.flow,
      stayInVoice,
      clock,
      bus,
      log,
    });
    const connect = this.link.connect.bind(this.link);
    this.resumer = new PlaybackResume({
      exclusive,
      queue,
      connect,
      start: this.flow.start.bind(this.flow),
      log,
    });
    this.controls = new PlayerControls({
      exclusive,
      peek: (guildId) => this.guilds.peek(guildId),
      queue,
      flow: this.flow,
      transition,
      defaultVolume,
      clock,
      bus,
    });
    const armIdle = this.idle.arm.bind(this.idle);
    this.external = new ExternalPlayback({ exclusive, connect, transition, armIdle });
  }

  state(guildId: string): PlayerState {
    return this.guilds.peek(guildId)?.state ?? { kind: 'idle' };
  }

  status(guildId: string): { state: string; positionMs: number | null; channelId: string | null } {
    const g = this.guilds.peek(guildId);
    const state = this.state(guildId);
    return {
      state: state.kind,
      positionMs: positionOf(state, this.clock.now()),
      channelId: 'channelId' in state ? state.channelId : (g?.session?.channelId ?? null),
    };
  }

  listeners(guildId: string): string[] {
    return this.guilds.peek(guildId)?.session?.listeners() ?? [];
  }

  /** Saves every playing guild's position; the composition root runs it every few seconds. */
  saveAll(): void {
    void this.snapshots.saveAll(this.guilds.entries());
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
    return this.resumer.restore(snapshot);
  }

  /**
   * Joins `channelId` if needed and starts the queue when nothing is playing.
   * @throws UserError NOT_IN_VOICE, and the voice layer's join errors
   */
  ensurePlaying(guildId: string, channelId: string | null): Promise<void> {
    return this.guilds.exclusive(guildId, async (g) => {
      if (g.state.kind === 'playing' || g.state.kind === 'paused' || g.state.kind === 'starting') return;
      // The radio has the channel: songs wait in the queue until the mode is music again.
      if (g.external) return;
      const target = channelId ?? g.session?.channelId ?? null;
      if (!target) throw new UserError('NOT_IN_VOICE', 'Join a voice channel first, then try again.');
      if (!g.session || g.session.channelId !== target) {
        this.flow.preopen(guildId, g);
        try {
          await this.link.connect(guildId, g, target);
        } catch (err) {
          this.flow.discardPreopened(g);
          throw err;
        }
      }
      await this.flow.playNext(guildId, g);
    });
  }

  /** Skips the playing song and plays the next. @throws UserError NOTHING_PLAYING */
  skip(guildId: string): Promise<QueueItem> {
    return this.controls.skip(guildId);
  }

  /**
   * Skips at once for the requester or a DJ (`privileged`); anyone else's request is a vote, counted
   * among the members listening, and skips once `ratio` of them agree.
   * @throws UserError NOTHING_PLAYING, NOT_IN_VOICE
   */
  requestSkip(
    guildId: string,
    request: { userId: string; privileged: boolean; ratio: number },
  ): Promise<SkipOutcome> {
    return this.controls.requestSkip(guildId, request);
  }

  /** @throws UserError NOTHING_PLAYING, CONFLICT (already paused) */
  pause(guildId: string): Promise<QueueItem> {
    return this.controls.pause(guildId);
  }

  /** @throws UserError NOTHING_PLAYING, CONFLICT (not paused, or the radio has the channel) */
  resume(guildId: string): Promise<QueueItem> {
    return this.controls.resume(guildId);
  }

  /**
   * Jumps to `positionMs` in the playing song; a paused song stays paused at the new place.
   * @throws UserError NOTHING_PLAYING, CONFLICT (a live stream), INVALID_INPUT (past the end)
   */
  seek(guildId: string, positionMs: number): Promise<{ item: QueueItem; positionMs: number }> {
    return this.controls.seek(guildId, positionMs);
  }

  /** Sets the guild's volume (0..100) for this session. @throws UserError INVALID_INPUT */
  setVolume(guildId: string, volume: number): Promise<number> {
    return this.controls.setVolume(guildId, volume);
  }

  volume(guildId: string): number | null {
    return this.guilds.peek(guildId)?.volume ?? null;
  }

  /**
   * Sets the filter preset (`off` clears the preset and the equaliser) for this session; the playing
   * song is re-opened at its place through it.
   * @throws UserError NOTHING_PLAYING, CONFLICT (the radio has the channel, or a live stream plays)
   */
  setFilter(guildId: string, preset: FilterPreset | 'off'): Promise<AudioFilter> {
    return this.controls.setPreset(guildId, preset);
  }

  /** Sets the equaliser (dB per band) for this session. @throws UserError INVALID_INPUT, as setFilter */
  setEq(guildId: string, eq: Partial<EqGains>): Promise<AudioFilter> {
    return this.controls.setEq(guildId, eq);
  }

  /** The session's filter; null when none is on. */
  filter(guildId: string): AudioFilter | null {
    return this.guilds.peek(guildId)?.filter ?? null;
  }

  /** Sets the loop mode: off, track (repeat the song) or queue (re-queue each song after it plays). */
  setLoop(guildId: string, mode: LoopMode): Promise<LoopMode> {
    return this.controls.setLoop(guildId, mode);
  }

  loop(guildId: string): LoopMode {
    return this.guilds.peek(guildId)?.loop ?? 'off';
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
    return this.external.play(guildId, channelId, source, audio);
  }

  /** Stops the live source, if one plays; the bot stays in the channel (the idle timer runs). */
  stopExternal(guildId: string): Promise<void> {
    return this.external.stop(guildId);
  }

  /** Whether a live source (the radio) has the guild's voice session. */
  hasExternal(guildId: string): boolean {
    return (this.guilds.peek(guildId)?.external ?? null) !== null;
  }

  /** The voice channel the bot is in for the guild, or null. */
  channelOf(guildId: string): string | null {
    return this.guilds.peek(guildId)?.session?.channelId ?? null;
  }

  /** Stops playback and leaves the voice channel; the queue stays. @throws UserError NOT_CONNECTED */
  stop(guildId: string): Promise<void> {
    return this.guilds.exclusive(guildId, async (g) => {
      if (!g.session) throw new UserError('NOT_CONNECTED', 'I am not in a voice channel.');
      g.session.leave();
      await this.link.release(guildId, g, 'stopped', 'stopped');
    });
  }

  /** Leaves every channel (shutdown). The playing items stay marked playing for a later resume. */
  async shutdown(): Promise<void> {
    const saves = this.snapshots.saveAll(this.guilds.entries());
    for (const [, g] of this.guilds.entries()) {
      this.idle.cancel(g);
      g.session?.leave();
      g.session = null;
      closeSource(g);
    }
    await Promise.all(saves);
  }
}
