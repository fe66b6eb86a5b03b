import { UserError } from '../core/errors.ts';
import type { QueueItem } from '../core/track.ts';
import {
  type AudioFilter,
  checkEq,
  type EqGains,
  type FilterPreset,
  filterable,
  filterLabel,
  NO_EQ,
  speedOf,
} from '../playback/filters.ts';
import type { LoopMode, SkipOutcome } from '../playback/player.ts';
import type { QueueService } from '../queue/service.ts';
import type { Call } from './actor.ts';
import { type DjRoleOf, defineAction, requireRequesterOrDj } from './define.ts';
import type { FilterView, PlaybackControl, PlaybackState, SettingsPort } from './ports.ts';

export type { FilterView, PlaybackState };

import { type RatingStore, ratingActions } from './rating.ts';

export interface PlaybackActionsDeps {
  queue: QueueService;
  /** Null in API-only mode without Spotify: nothing can play. */
  playback: PlaybackControl | null;
  /**
   * Whether this process joins voice channels (a bot). Without Discord the controls answer for
   * themselves (the Spotify device, or a plain refusal that says the server runs without Discord).
   */
  voice: boolean;
  settings: SettingsPort;
  /** 👍/👎 on played songs, one per member (the control panel's buttons). */
  ratings: RatingStore;
  djRoleOf: DjRoleOf;
}

/** The view of `filter` (null: none). */
export function filterView(filter: AudioFilter | null): FilterView {
  return {
    preset: filter?.preset ?? null,
    eq: filter?.eq ?? NO_EQ,
    speed: speedOf(filter),
    label: filterLabel(filter),
  };
}

const WITHOUT_DISCORD =
  'Nothing can play here: this server runs without Discord (API-only mode) and without Spotify.';

/** Nothing can be controlled: the bot is in no voice channel of the guild and no device plays. */
function notConnected(message = 'Nothing is playing right now.'): UserError {
  return new UserError('NOT_CONNECTED', message);
}

/**
 * The player's user intents: start, skip (or vote to), pause, resume, stop, seek, volume, filter,
 * equaliser, loop.
 */
export function playbackActions(deps: PlaybackActionsDeps) {
  const { queue, djRoleOf } = deps;
  const act = <I, O>(
    permission: Parameters<typeof defineAction>[0],
    run: Parameters<typeof defineAction<I, O>>[2],
  ) => defineAction<I, O>(permission, djRoleOf, run);
  /** The controls, when something plays or the bot is in a voice channel. @throws NOT_CONNECTED */
  const connected = async (guildId: string, refusal?: string): Promise<PlaybackControl> => {
    const control = deps.playback;
    if (!control) throw notConnected(WITHOUT_DISCORD);
    await control.settled?.(guildId);
    const status = control.status(guildId);
    if (deps.voice && !status.channelId && status.state === 'idle') throw notConnected(refusal);
    return control;
  };
  const state = act<void, PlaybackState>('everyone', async (call) => {
    const control = deps.playback;
    const status = control?.status(call.guildId) ?? { state: 'idle', positionMs: null, channelId: null };
    const playing = await queue.nowPlaying(call.guildId);
    // What is heard: a live stream plays unfiltered whatever the session's filter is.
    const heard = playing && !filterable(playing.track) ? null : (control?.filter(call.guildId) ?? null);
    return {
      state: status.state,
      positionMs: status.positionMs,
      volume: control?.volume(call.guildId) ?? null,
      filter: filterView(heard),
      loop: control?.loop(call.guildId) ?? 'off',
      voiceChannelId: status.channelId ?? null,
      playing,
    };
  });
  return {
    /**
     * Starts the queue: on the Spotify device when it is the device's turn, else in the actor's voice
     * channel or the one the bot is in. @throws UserError NOT_CONNECTED, NOT_IN_VOICE
     */
    play: act<void, void>('dj', async (call) => {
      if (await deps.playback?.startWithoutVoice?.(call.guildId)) return;
      const channel = call.actor.voiceChannelId;
      if (channel && deps.playback) return deps.playback.ensurePlaying(call.guildId, channel);
      const control = await connected(
        call.guildId,
        'I am not in a voice channel here. Start with /play in one.',
      );
      await control.ensurePlaying(call.guildId, null);
    }),
    /**
     * Skips at once for DJs and the song's requester; anyone else's skip is a vote among the members
     * listening. A song marked playing that no player holds (API-only, or after a crash) is skipped in
     * the queue. @throws UserError NOTHING_PLAYING, NOT_CONNECTED, NOT_IN_VOICE, FORBIDDEN
     */
    skip: act<void, SkipOutcome>('everyone', async (call) => skip(deps, call)),
    pause: act<void, QueueItem>('dj', async (call) => (await connected(call.guildId)).pause(call.guildId)),
    resume: act<void, QueueItem>('dj', async (call) => (await connected(call.guildId)).resume(call.guildId)),
    stop: act<void, void>('dj', async (call) =>
      (await connected(call.guildId, 'I am not in a voice channel.')).stop(call.guildId),
    ),
    /** @throws UserError NOTHING_PLAYING, CONFLICT (a live stream, or a song on the device) */
    seek: act<{ positionMs: number }, { item: QueueItem; positionMs: number }>('dj', async (call, input) =>
      (await connected(call.guildId)).seek(call.guildId, input.positionMs),
    ),
    /** The volume now: the session's, else where songs start (the guild's default). */
    volume: act<void, number>('everyone', async (call) => {
      return deps.playback?.volume(call.guildId) ?? (await deps.settings.get(call.guildId)).defaultVolume;
    }),
    setVolume: act<{ volume: number }, number>('dj', async (call, input) =>
      (await connected(call.guildId)).setVolume(call.guildId, input.volume),
    ),
    /** The session's filter (none when nothing set one, or the bot is elsewhere). */
    filter: act<void, FilterView>('everyone', async (call) =>
      filterView(deps.playback?.filter(call.guildId) ?? null),
    ),
    /**
     * Sets the filter preset (`off`: no preset, flat equaliser); the playing song re-opens at its place.
     * @throws UserError NOT_CONNECTED, NOTHING_PLAYING, CONFLICT (radio, a live stream, the Spotify device)
     */
    setFilter: act<{ preset: FilterPreset | 'off' }, FilterView>('dj', async (call, input) =>
      filterView(await (await connected(call.guildId)).setFilter(call.guildId, input.preset)),
    ),
    /**
     * Sets the equaliser's gains in dB, -12..+12 each (checked first, whatever plays); a band left out
     * keeps its gain.
     * @throws UserError INVALID_INPUT, and setFilter's refusals
     */
    setEq: act<Partial<EqGains>, FilterView>('dj', async (call, input) => {
      const eq = checkEq(input);
      return filterView(await (await connected(call.guildId)).setEq(call.guildId, eq));
    }),
    setLoop: act<{ mode: LoopMode }, LoopMode>('dj', (call, input) => {
      if (!deps.playback) throw notConnected(WITHOUT_DISCORD);
      return deps.playback.setLoop(call.guildId, input.mode);
    }),
    state,
    ...ratingActions({ queue, ratings: deps.ratings, djRoleOf, state: (call) => state(call, undefined) }),
  };
}

async function skip(deps: PlaybackActionsDeps, call: Call): Promise<SkipOutcome> {
  const control = deps.playback;
  await control?.settled?.(call.guildId); // a song changing on the device is not "nothing playing"
  const status = control?.status(call.guildId);
  if (control && status && status.state !== 'idle') {
    const { voteSkipRatio } = await deps.settings.get(call.guildId);
    return control.requestSkip(call.guildId, {
      userId: call.actor.userId,
      privileged: call.actor.isDj,
      ratio: voteSkipRatio,
    });
  }
  const marked = await deps.queue.nowPlaying(call.guildId);
  if (marked) {
    requireRequesterOrDj(
      call,
      marked.requestedBy,
      'Only DJs and the member who asked for this song can skip it.',
    );
    const item = await deps.queue.skipCurrent(call.guildId);
    if (item) return { skipped: true, item };
  }
  if (!control) throw notConnected(WITHOUT_DISCORD);
  if (!status?.channelId) throw notConnected();
  throw new UserError('NOTHING_PLAYING', 'Nothing is playing right now.');
}

export type PlaybackActions = ReturnType<typeof playbackActions>;
