import type { ModeState, PlayMode } from '../mode/controller.ts';
import type { RadioStatus } from '../radio/service.ts';
import type { Station, StationInput } from '../storage/db/stations.ts';
import { type DjRoleOf, defineAction } from './define.ts';
import type { ModePort, PlaybackControl, RadioPort } from './ports.ts';

export interface RadioActionsDeps {
  mode: ModePort;
  radio: RadioPort;
  /** For the voice channel the bot is in (a station plays there when the asker is in none). */
  playback: Pick<PlaybackControl, 'status'> | null;
  djRoleOf: DjRoleOf;
}

/** The mode (music or radio) and the radio's user intents. */
export function radioActions(deps: RadioActionsDeps) {
  const { mode, radio, djRoleOf } = deps;
  const act = <I, O>(
    permission: Parameters<typeof defineAction>[0],
    run: Parameters<typeof defineAction<I, O>>[2],
  ) => defineAction<I, O>(permission, djRoleOf, run);
  return {
    mode: act<void, ModeState>('everyone', (call) => mode.get(call.guildId)),
    /** @throws UserError INVALID_INPUT, STATION_NOT_FOUND, CONFLICT */
    switchMode: act<{ mode: PlayMode; station?: string; noticeChannelId?: string | null }, ModeState>(
      'dj',
      (call, input) =>
        mode.switchTo(call.guildId, input.mode, {
          ...(input.station ? { station: input.station } : {}),
          ...(input.noticeChannelId ? { noticeChannelId: input.noticeChannelId } : {}),
        }),
    ),
    /**
     * Plays a station (the mode becomes radio): in the asker's voice channel, else in the one the bot
     * is in, else followed for its now-playing alone. @throws UserError STATION_NOT_FOUND, INVALID_URL
     */
    play: act<{ station: string; noticeChannelId?: string | null }, RadioStatus | null>(
      'dj',
      async (call, input) => {
        const channelId = call.actor.voiceChannelId ?? deps.playback?.status(call.guildId).channelId ?? null;
        await mode.switchTo(call.guildId, 'radio', {
          station: input.station,
          channelId,
          ...(input.noticeChannelId ? { noticeChannelId: input.noticeChannelId } : {}),
        });
        return radio.status(call.guildId);
      },
    ),
    /** Stops the station (the mode becomes none); false when none was playing. */
    stop: act<void, boolean>('dj', async (call) => {
      if ((await mode.get(call.guildId)).mode === 'radio') {
        await mode.switchTo(call.guildId, 'none');
        return true;
      }
      const playing = radio.status(call.guildId) !== null;
      if (playing) await radio.stop(call.guildId);
      return playing;
    }),
    status: act<void, RadioStatus | null>('everyone', async (call) => radio.status(call.guildId)),
    stations: act<void, Station[]>('everyone', (call) => radio.list(call.guildId)),
    /** Adds a station or replaces the one of the same name. @throws UserError INVALID_INPUT, INVALID_URL */
    saveStation: act<StationInput, Station>('admin', (call, input) => radio.save(call.guildId, input)),
    /** @throws UserError STATION_NOT_FOUND */
    removeStation: act<{ name: string }, void>('admin', (call, input) =>
      radio.remove(call.guildId, input.name),
    ),
  };
}

export type RadioActions = ReturnType<typeof radioActions>;
