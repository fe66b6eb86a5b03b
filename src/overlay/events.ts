import type { QueueItem } from '../core/track.ts';
import type { ModeState, PlayMode } from '../mode/controller.ts';
import { wireItem } from '../queue/wire.ts';
import type { NowPlayingInfo } from '../radio/icy.ts';

/**
 * The overlay's live protocol: JSON text frames `{v, type, data, timestamp}` on `/ws/music/{id}`.
 * `v` changes only when a field changes meaning or goes away; new fields may appear in any version.
 * test/fixtures/overlay/*.json pins every shape.
 */
export const OVERLAY_PROTOCOL_VERSION = 1;

export type OverlayEventType = 'snapshot' | 'now_playing' | 'mode_change' | 'radio_update' | 'queue_update';

/** The seed's browser-source track. */
export interface OverlayTrack {
  name: string;
  artist: string | null;
  album: string | null;
  album_art_url: string | null;
  /** Null for a live stream. */
  duration_ms: number | null;
  provider: string;
}

/** The seed's browser-source now-playing payload, with where the track is. */
export interface NowPlayingData {
  community_id: string;
  type: 'now_playing';
  timestamp: string;
  /** Null: nothing is playing. */
  track: OverlayTrack | null;
  /** ISO 8601, when the track started; null when unknown or nothing plays. */
  started_at: string | null;
  /** Where the track was at `timestamp`; the page advances it by itself (at `speed`) unless `paused`. */
  position_ms: number | null;
  paused: boolean;
  /** The audio filter on the track, as people read it (`nightcore ×1.25`); null: none. */
  filter: string | null;
  /** How fast the track plays under the filter (1.25 for nightcore): the page's progress runs this fast. */
  speed: number;
}

/** The seed's mode-change notification, with the station the radio plays. */
export interface ModeChangeData {
  community_id: string;
  type: 'mode_change';
  timestamp: string;
  active_mode: PlayMode;
  previous_mode: PlayMode | null;
  switched_at: string | null;
  station: { name: string; url: string | null } | null;
}

/** The seed's radio overlay update. */
export interface RadioUpdateData {
  type: 'radio_update';
  community_id: string;
  /** The station's name. */
  station: string | null;
  /** The station's metadata provider (icecast, pretzel, ...). */
  provider: string | null;
  now_playing: NowPlayingInfo | null;
  timestamp: string;
}

export type WireItem = ReturnType<typeof wireItem>;

export interface QueueUpdateData {
  community_id: string;
  /** Queued items in play order (1-based positions), at most {@link OVERLAY_QUEUE_LIMIT}. */
  items: WireItem[];
  /** How many items are queued in all. */
  total: number;
  now_playing: WireItem | null;
}

/** Everything the page needs to render from scratch; sent first on every connection. */
export interface SnapshotData {
  community_id: string;
  now_playing: NowPlayingData;
  queue: QueueUpdateData;
  mode: ModeChangeData;
  radio: RadioUpdateData | null;
}

export interface OverlayDataOf {
  snapshot: SnapshotData;
  now_playing: NowPlayingData;
  mode_change: ModeChangeData;
  radio_update: RadioUpdateData;
  queue_update: QueueUpdateData;
}

/** One frame on the wire. */
export type OverlayEvent = {
  [T in OverlayEventType]: { v: 1; type: T; data: OverlayDataOf[T]; timestamp: string };
}[OverlayEventType];

/** The events that are broadcast as they are (queue updates are read fresh by each instance). */
export type BroadcastEvent = Extract<OverlayEvent, { type: 'now_playing' | 'mode_change' | 'radio_update' }>;

/** The most queued items a queue update carries; the page shows at most this many. */
export const OVERLAY_QUEUE_LIMIT = 25;

export function overlayEvent<T extends OverlayEventType>(
  type: T,
  data: OverlayDataOf[T],
  timestamp: string,
): Extract<OverlayEvent, { type: T }> {
  return { v: OVERLAY_PROTOCOL_VERSION, type, data, timestamp } as Extract<OverlayEvent, { type: T }>;
}

export function overlayTrack(item: QueueItem): OverlayTrack {
  const t = item.track;
  return {
    name: t.title,
    artist: t.artist,
    album: t.album,
    album_art_url: t.artworkUrl,
    duration_ms: t.durationMs,
    provider: t.provider,
  };
}

/** Where a playing (or paused) queue item is, for the page's progress bar. */
export interface PlayingPosition {
  item: QueueItem;
  positionMs: number | null;
  paused: boolean;
  /** The filter's label, when one is on. */
  filter?: string | null;
  speed?: number;
}

export function nowPlayingData(
  guildId: string,
  playing: PlayingPosition | null,
  now: string,
): NowPlayingData {
  return {
    community_id: guildId,
    type: 'now_playing',
    timestamp: now,
    track: playing ? overlayTrack(playing.item) : null,
    started_at: playing?.item.startedAt ?? null,
    position_ms: playing?.positionMs ?? null,
    paused: playing?.paused ?? false,
    filter: playing?.filter ?? null,
    speed: playing?.speed ?? 1,
  };
}

export function modeChangeData(state: ModeState, now: string): ModeChangeData {
  return {
    community_id: state.guildId,
    type: 'mode_change',
    timestamp: now,
    active_mode: state.mode,
    previous_mode: state.previousMode,
    switched_at: state.switchedAt,
    station: state.stationName ? { name: state.stationName, url: state.stationUrl } : null,
  };
}

export function radioUpdateData(
  guildId: string,
  station: { name: string; provider: string | null } | null,
  nowPlaying: NowPlayingInfo | null,
  now: string,
): RadioUpdateData {
  return {
    type: 'radio_update',
    community_id: guildId,
    station: station?.name ?? null,
    provider: station?.provider ?? null,
    now_playing: nowPlaying,
    timestamp: now,
  };
}

export function queueUpdateData(
  guildId: string,
  queue: { items: QueueItem[]; total: number; playing: QueueItem | null },
): QueueUpdateData {
  return {
    community_id: guildId,
    items: queue.items.slice(0, OVERLAY_QUEUE_LIMIT).map(wireItem),
    total: queue.total,
    now_playing: queue.playing ? wireItem(queue.playing) : null,
  };
}
