import { UserError } from '../core/errors.ts';
import type { QueueItem } from '../core/track.ts';
import type { QueueService } from '../queue/service.ts';
import type { RatingChange, RatingStore, RatingTally } from '../storage/panel/ratings.ts';
import type { Call } from './actor.ts';
import { type DjRoleOf, defineAction } from './define.ts';
import type { PlaybackState } from './ports.ts';

export type { RatingChange, RatingStore, RatingTally };

/** How many queued songs a control panel shows under the playing one. */
export const PANEL_UP_NEXT = 5;

/** What a control panel shows: the player, the playing song's rating and the next songs. */
export interface PanelView {
  playback: PlaybackState;
  /** 👍/👎 on the playing song; null when nothing plays. */
  rating: RatingTally | null;
  upNext: QueueItem[];
  /** How many songs are queued in all. */
  queued: number;
}

export interface RatingResult {
  item: QueueItem;
  change: RatingChange;
  value: 1 | -1;
  tally: RatingTally;
}

export interface RatingActionsDeps {
  queue: QueueService;
  ratings: RatingStore;
  djRoleOf: DjRoleOf;
  /** The playback state as `playback.state` reads it. */
  state(call: Call): Promise<PlaybackState>;
}

/**
 * Rating the playing song (👍/👎, one per member, a second press of the other one changes it; votes
 * order the queue, ratings only say how a song went down) and the control panel's view.
 */
export function ratingActions(deps: RatingActionsDeps) {
  const { queue, ratings, djRoleOf } = deps;
  const view = async (call: Call): Promise<PanelView> => {
    const [playback, page] = await Promise.all([
      deps.state(call),
      queue.list(call.guildId, 1, PANEL_UP_NEXT),
    ]);
    const rating = playback.playing ? await ratings.tally(call.guildId, playback.playing.id) : null;
    return { playback, rating, upNext: page.items, queued: page.total };
  };
  return {
    /**
     * Rates the playing song for the member: 👍 (1) or 👎 (-1), counted once per member. `item` is the
     * song the member saw playing, so that a press on a panel that is a moment behind never rates the
     * next song. @throws UserError NOTHING_PLAYING, CONFLICT (another song plays now)
     */
    rate: defineAction<{ item: string; value: 1 | -1 }, RatingResult>(
      'everyone',
      djRoleOf,
      async (call, input) => {
        const playing = await queue.nowPlaying(call.guildId);
        if (!playing) throw new UserError('NOTHING_PLAYING', 'Nothing is playing right now.');
        if (playing.id !== input.item)
          throw new UserError('CONFLICT', 'That song is no longer playing. Rate the one playing now.');
        const change = await ratings.rate(call.guildId, playing.id, call.actor.userId, input.value);
        const tally = await ratings.tally(call.guildId, playing.id);
        return { item: playing, change, value: input.value, tally };
      },
    ),
    /** The control panel's view, to post it (`/panel`): DJs put a panel in a channel. */
    placePanel: defineAction<void, PanelView>('dj', djRoleOf, async (call) => view(call)),
    /** The control panel's view, to keep a posted panel current. */
    panelView: defineAction<void, PanelView>('everyone', djRoleOf, async (call) => view(call)),
  };
}
