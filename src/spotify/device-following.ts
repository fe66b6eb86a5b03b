import type { Clock } from '../core/clock.ts';
import { UserError } from '../core/errors.ts';
import type { EventBus } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import type { QueueItem } from '../core/track.ts';
import type { PlayerEvent } from '../playback/player.ts';
import type { QueueService } from '../queue/service.ts';
import type { SpotifyMode } from '../storage/db/guild-settings.ts';
import type { SpotifyPlayback, SpotifyService } from './service.ts';

/* The device player's parts: what it is given, the state it keeps of the song it follows, and how
   one reading of Spotify's playback state changes that state. */

/** Runs `fn` once after `ms`; returns a function that cancels it. Tests run the polls by hand. */
export type Schedule = (fn: () => Promise<void>, ms: number) => () => void;

export const realSchedule: Schedule = (fn, ms) => {
  const timer = setTimeout(() => void fn(), ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/** How often the playback state is read while a Spotify item plays on the device (SPOTIFY_POLL_SECONDS). */
export const DEVICE_POLL_MS = 3_000;
/** Polls that may pass without the device showing our track before we give up on it. */
const MAX_MISSES = 5;
/** Within this of the end, a stopped track counts as finished. */
const END_MARGIN_MS = 2_000;

/** What the device player needs (SpotifyDevicePlayer's constructor argument). */
export interface DevicePlayerDeps {
  queue: Pick<
    QueueService,
    'next' | 'nowPlaying' | 'markPlaying' | 'markPlayed' | 'skipCurrent' | 'saveDevicePlayback'
  >;
  spotify: Pick<SpotifyService, 'play' | 'pause' | 'resume' | 'next' | 'currentPlayback'>;
  /** The guild's Spotify mode now (setting, else device when linked). */
  mode(guildId: string): Promise<SpotifyMode>;
  /** The queue's next item is not for the device (another provider, or voice mode): the voice player takes over. */
  handOff(guildId: string): Promise<void>;
  bus: EventBus<PlayerEvent>;
  clock: Clock;
  logger: Logger;
  schedule?: Schedule;
  pollMs?: number;
}

/** What the device player knows of the item it follows on a guild's device. */
export interface Following {
  item: QueueItem;
  paused: boolean;
  /** Where the track is (ms) at `at`, as last seen or commanded. */
  positionMs: number;
  at: number;
  /** The device showed our track at least once: another track (or none) now means it ended. */
  heard: boolean;
  misses: number;
  cancel: (() => void) | null;
}

/** Spotify stops a song that ran out with it still loaded, at 0 ms (or at its end). */
export function atEnd(progressMs: number, durationMs: number | null): boolean {
  const duration = durationMs ?? 0;
  return progressMs === 0 || (duration > 0 && progressMs >= duration - END_MARGIN_MS);
}

/**
 * Takes in one reading of the device's playback state (`GET /me/player`, at `at` ms): our track
 * still playing (or paused), ended, replaced by something else, or never seen for too long.
 */
export function observe(
  f: Following,
  now: SpotifyPlayback | null,
  at: number,
): 'playing' | 'ended' | 'moved_on' | 'never_played' {
  if (now && now.track?.uri === f.item.track.uri) {
    f.positionMs = now.progressMs;
    f.at = at;
    f.heard = true;
    if (now.isPlaying) f.paused = false; // resumed in the Spotify app itself
    const ended = !now.isPlaying && !f.paused && atEnd(now.progressMs, f.item.track.durationMs);
    return ended ? 'ended' : 'playing';
  }
  // Spotify moved on (autoplay, or someone chose another song) or the device went away.
  if (f.heard) return 'moved_on';
  f.misses += 1;
  return f.misses >= MAX_MISSES ? 'never_played' : 'playing';
}

/** The item being followed, or NOTHING_PLAYING. @throws UserError NOTHING_PLAYING */
export function followed(f: Following | null): Following {
  if (!f) throw new UserError('NOTHING_PLAYING', 'Nothing is playing on Spotify right now.');
  return f;
}

export function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
