import type { Clock } from '../core/clock.ts';
import { UserError } from '../core/errors.ts';
import type { EventBus } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import type { GuildLock } from './lock.ts';

export type PlayMode = 'music' | 'radio' | 'none';

/** The seed's ModeState. */
export interface ModeState {
  guildId: string;
  mode: PlayMode;
  previousMode: PlayMode | null;
  musicPausedOnSwitch: boolean;
  switchedAt: string | null;
  stationName: string | null;
  stationUrl: string | null;
  /** Where the station plays (rejoined after a restart); left out when it plays in no channel. */
  voiceChannelId?: string | null;
}

export interface ModeEvent {
  type: 'mode.changed';
  guildId: string;
  state: ModeState;
}

/** Where mode state lives (music_radio_state), so that it survives a restart. */
export interface ModeStateStore {
  load(guildId: string): Promise<ModeState | null>;
  save(state: ModeState): Promise<void>;
}

/** What the controller needs of the music player. */
export interface MusicControl {
  isPlaying(guildId: string): boolean;
  pause(guildId: string): Promise<unknown>;
  resume(guildId: string): Promise<unknown>;
}

/** What the controller needs of the radio player (the radio issue fills it in). */
export interface RadioControl {
  start(
    guildId: string,
    stationName: string,
    options?: { channelId?: string | null; noticeChannelId?: string | null },
  ): Promise<{ name: string; url: string; channelId: string | null }>;
  stop(guildId: string): Promise<void>;
}

export interface ModeControllerDeps {
  store: ModeStateStore;
  lock: GuildLock;
  music: MusicControl;
  radio: RadioControl | null;
  bus: EventBus<ModeEvent>;
  clock: Clock;
  logger: Logger;
}

/**
 * The seed's ModeController: per guild, music or radio (or none), never both. A switch holds the
 * guild's lock; switching to radio pauses playing music and remembers it, switching back to music
 * resumes it in the same step. Every switch is saved and emits `mode.changed`.
 */
export class ModeController {
  private readonly deps: ModeControllerDeps;

  constructor(deps: ModeControllerDeps) {
    this.deps = deps;
  }

  async get(guildId: string): Promise<ModeState> {
    return (await this.deps.store.load(guildId)) ?? initialModeState(guildId);
  }

  /** @throws UserError INVALID_INPUT (radio without a station), and the radio's errors */
  switchTo(
    guildId: string,
    mode: PlayMode,
    options: { station?: string; channelId?: string | null; noticeChannelId?: string | null } = {},
  ): Promise<ModeState> {
    return this.deps.lock.withLock(`mode:${guildId}`, async () => {
      const current = await this.get(guildId);
      if (mode === 'radio' && !options.station && !current.stationName) {
        throw new UserError('INVALID_INPUT', 'Name a station to play.');
      }
      const sameStation = !options.station || options.station === current.stationName;
      if (current.mode === mode && (mode !== 'radio' || sameStation)) return current;

      let musicPaused = current.musicPausedOnSwitch;
      if (mode !== 'music' && current.mode !== 'radio' && this.deps.music.isPlaying(guildId)) {
        await this.deps.music.pause(guildId);
        musicPaused = true;
      }
      let station = { name: current.stationName, url: current.stationUrl };
      let voiceChannelId: string | null = null;
      if (mode === 'radio') {
        if (!this.deps.radio) throw new UserError('UNAVAILABLE', 'Radio is not available on this bot yet.');
        const started = await this.deps.radio
          .start(guildId, options.station ?? current.stationName!, {
            channelId: options.channelId ?? null,
            noticeChannelId: options.noticeChannelId ?? null,
          })
          .catch(async (err) => {
            // Nothing changed: music that this switch paused plays on.
            if (musicPaused && !current.musicPausedOnSwitch)
              await this.deps.music.resume(guildId).catch(() => {});
            throw err;
          });
        station = { name: started.name, url: started.url };
        voiceChannelId = started.channelId;
      } else if (current.mode === 'radio' && this.deps.radio) {
        await this.deps.radio.stop(guildId);
      }
      if (mode === 'music' && musicPaused) {
        await this.deps.music.resume(guildId).catch((err) => {
          this.deps.logger.info({ guildId, err: err?.message }, 'music paused by radio could not resume');
        });
        musicPaused = false;
      }
      const next: ModeState = {
        guildId,
        mode,
        previousMode: current.mode === mode ? current.previousMode : current.mode,
        musicPausedOnSwitch: musicPaused,
        switchedAt: new Date(this.deps.clock.now()).toISOString(),
        stationName: mode === 'radio' ? station.name : current.stationName,
        stationUrl: mode === 'radio' ? station.url : current.stationUrl,
        ...(mode === 'radio' && voiceChannelId ? { voiceChannelId } : {}),
      };
      await this.deps.store.save(next);
      this.deps.bus.publish({ type: 'mode.changed', guildId, state: next });
      return next;
    });
  }
}

/** A guild that never switched: no mode. */
export function initialModeState(guildId: string): ModeState {
  return {
    guildId,
    mode: 'none',
    previousMode: null,
    musicPausedOnSwitch: false,
    switchedAt: null,
    stationName: null,
    stationUrl: null,
  };
}
