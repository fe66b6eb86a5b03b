import type { Clock } from '../core/clock.ts';
import type { QueueItem } from '../core/track.ts';
import type { ModeState } from '../mode/controller.ts';
import { type AudioFilter, filterable, filterLabel, isFilterOn, speedOf } from '../playback/filters.ts';
import { type PlayerState, positionOf } from '../playback/state.ts';
import {
  modeChangeData,
  type NowPlayingData,
  nowPlayingData,
  OVERLAY_QUEUE_LIMIT,
  type PlayingPosition,
  type QueueUpdateData,
  queueUpdateData,
  type RadioUpdateData,
  type SnapshotData,
} from './events.ts';

/** Where the hub reads the state of a guild: for a connecting page, and after each queue change. */
export interface OverlaySource {
  /** Everything the page needs to render from scratch. */
  snapshot(guildId: string): Promise<SnapshotData>;
  /** The queue as it is now. */
  queue(guildId: string): Promise<QueueUpdateData>;
  /** What plays now, and where it is. */
  nowPlaying(guildId: string): Promise<NowPlayingData>;
}

export interface OverlaySourceDeps {
  /** The queue service, or anything that lists a queue page the same way. */
  queue: {
    list(
      guildId: string,
      page: number,
      pageSize: number,
    ): Promise<{ items: QueueItem[]; total: number; playing: QueueItem | null }>;
    nowPlaying(guildId: string): Promise<QueueItem | null>;
  };
  mode: { get(guildId: string): Promise<ModeState> };
  /** This instance's music player, when it has one (it knows the position and pause). */
  player: { state(guildId: string): PlayerState; filter?(guildId: string): AudioFilter | null } | null;
  /** The radio's current station and song; absent until radio exists. */
  radio?: (guildId: string) => Promise<RadioUpdateData | null>;
  clock: Clock;
}

/** Builds an {@link OverlaySource} from the queue, mode and player services. */
export function overlaySource(deps: OverlaySourceDeps): OverlaySource {
  const iso = () => new Date(deps.clock.now()).toISOString();
  const queuePage = (guildId: string) => deps.queue.list(guildId, 1, OVERLAY_QUEUE_LIMIT);

  const playing = (guildId: string, queued: QueueItem | null): PlayingPosition | null => {
    const state = deps.player?.state(guildId);
    if (state && (state.kind === 'playing' || state.kind === 'paused')) {
      const filter = deps.player?.filter?.(guildId) ?? null;
      const on = isFilterOn(filter) && filterable(state.item.track);
      return {
        item: state.item,
        positionMs: positionOf(state, deps.clock.now()),
        paused: state.kind === 'paused',
        filter: on ? filterLabel(filter) : null,
        speed: state.kind === 'playing' ? (state.speed ?? 1) : on ? speedOf(filter) : 1,
      };
    }
    // Played by another instance (or driven from outside): the queue knows when it started.
    if (!queued) return null;
    const started = queued.startedAt ? Date.parse(queued.startedAt) : Number.NaN;
    const positionMs = Number.isFinite(started) ? Math.max(0, deps.clock.now() - started) : null;
    return { item: queued, positionMs, paused: false };
  };

  return {
    async snapshot(guildId) {
      const [page, mode, radio] = await Promise.all([
        queuePage(guildId),
        deps.mode.get(guildId),
        deps.radio ? deps.radio(guildId) : Promise.resolve(null),
      ]);
      const now = iso();
      return {
        community_id: guildId,
        now_playing: nowPlayingData(guildId, playing(guildId, page.playing), now),
        queue: queueUpdateData(guildId, page),
        mode: modeChangeData(mode, now),
        radio,
      };
    },
    async queue(guildId) {
      return queueUpdateData(guildId, await queuePage(guildId));
    },
    async nowPlaying(guildId) {
      const queued = await deps.queue.nowPlaying(guildId);
      return nowPlayingData(guildId, playing(guildId, queued), iso());
    },
  };
}
