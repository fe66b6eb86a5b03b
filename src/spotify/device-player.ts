import type { Clock } from '../core/clock.ts';
import { isUserError, UserError } from '../core/errors.ts';
import type { EventBus } from '../core/events.ts';
import { KeyedMutex } from '../core/keyed-mutex.ts';
import type { Logger } from '../core/logger.ts';
import type { QueueItem } from '../core/track.ts';
import type { PlayerEvent } from '../playback/player.ts';
import type { QueueService } from '../queue/service.ts';
import type { SpotifyMode } from '../storage/db/guild-settings.ts';
import type { SpotifyService } from './service.ts';

/** Runs `fn` once after `ms`; returns a function that cancels it. Tests run the polls by hand. */
export type Schedule = (fn: () => Promise<void>, ms: number) => () => void;

export const realSchedule: Schedule = (fn, ms) => {
  const timer = setTimeout(() => void fn(), ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/** How often the playback state is read while a Spotify item plays on the device. */
export const DEVICE_POLL_MS = 3_000;
/** Polls that may pass without the device showing our track before we give up on it. */
const MAX_MISSES = 5;
/** Within this of the end, a stopped track counts as finished. */
const END_MARGIN_MS = 2_000;

export interface DevicePlayerDeps {
  queue: Pick<QueueService, 'next' | 'nowPlaying' | 'markPlaying' | 'markPlayed' | 'skipCurrent'>;
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

interface Following {
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

interface GuildDevice {
  following: Following | null;
}

/**
 * Plays a guild's queued Spotify items on its linked account's device (device mode), one at a time in
 * queue order: `PUT /me/player/play` per item, pause, resume and skip sent to Spotify, and the track's
 * end found by polling `GET /me/player`, which marks it played and plays the next. It owns a guild
 * only while a Spotify item plays on the device; anything else in the queue goes back to the voice
 * player through `handOff`.
 */
export class SpotifyDevicePlayer {
  private readonly deps: DevicePlayerDeps;
  private readonly schedule: Schedule;
  private readonly pollMs: number;
  private readonly guilds = new Map<string, GuildDevice>();
  /** Serialises each guild's operations, as the voice player does. */
  private readonly mutex = new KeyedMutex();

  constructor(deps: DevicePlayerDeps) {
    this.deps = deps;
    this.schedule = deps.schedule ?? realSchedule;
    this.pollMs = deps.pollMs ?? DEVICE_POLL_MS;
  }

  /** Whether a Spotify item plays (or is paused) on the guild's device. */
  isActive(guildId: string): boolean {
    return (this.guilds.get(guildId)?.following ?? null) !== null;
  }

  /** Resolves once the guild's operations in flight (a track change, say) are done. */
  settled(guildId: string): Promise<void> {
    return this.exclusive(guildId, async () => {});
  }

  /** The item on the device, or null. */
  current(guildId: string): QueueItem | null {
    return this.guilds.get(guildId)?.following?.item ?? null;
  }

  status(guildId: string): { state: string; positionMs: number | null } {
    const f = this.guilds.get(guildId)?.following;
    if (!f) return { state: 'idle', positionMs: null };
    return { state: f.paused ? 'paused' : 'playing', positionMs: this.position(f) };
  }

  /**
   * Plays the queue's next item on the device when it is a Spotify item (or follows the Spotify item
   * the queue still has playing, after a restart). False when the queue is not the device's to play.
   * @throws UserError from Spotify (no active device, not linked, ...); the item then stays queued
   */
  start(guildId: string): Promise<boolean> {
    return this.exclusive(guildId, async (g) => {
      if (g.following) return true;
      const playing = await this.deps.queue.nowPlaying(guildId);
      if (playing) {
        if (playing.track.provider !== 'spotify') return false;
        this.follow(guildId, g, playing, 0, false);
        return true;
      }
      const next = await this.deps.queue.next(guildId);
      if (next?.track.provider !== 'spotify') return false;
      await this.playItem(guildId, g, next);
      return true;
    });
  }

  /** @throws UserError NOTHING_PLAYING, CONFLICT (already paused), and Spotify's errors */
  pause(guildId: string): Promise<QueueItem> {
    return this.exclusive(guildId, async (g) => {
      const f = active(g);
      if (f.paused) throw new UserError('CONFLICT', 'The music is already paused.');
      await this.deps.spotify.pause(guildId);
      f.positionMs = this.position(f);
      f.at = this.deps.clock.now();
      f.paused = true;
      this.deps.bus.publish({ type: 'player.paused', guildId, item: f.item, positionMs: f.positionMs });
      return f.item;
    });
  }

  /** @throws UserError NOTHING_PLAYING, CONFLICT (not paused), and Spotify's errors */
  resume(guildId: string): Promise<QueueItem> {
    return this.exclusive(guildId, async (g) => {
      const f = active(g);
      if (!f.paused) throw new UserError('CONFLICT', 'The music is not paused.');
      await this.deps.spotify.resume(guildId);
      f.at = this.deps.clock.now();
      f.paused = false;
      this.deps.bus.publish({ type: 'player.resumed', guildId, item: f.item, positionMs: f.positionMs });
      return f.item;
    });
  }

  /** Skips on Spotify (`POST /me/player/next`), marks the item skipped and plays the next. */
  skip(guildId: string): Promise<QueueItem> {
    return this.exclusive(guildId, async (g) => {
      const f = active(g);
      this.unfollow(g);
      await this.deps.spotify.next(guildId).catch((err) => this.failedCommand(guildId, 'next', err));
      await this.deps.queue.skipCurrent(guildId);
      await this.advance(guildId, g);
      return f.item;
    });
  }

  /** Pauses the device and ends the item as skipped; the queue stays. */
  stop(guildId: string): Promise<void> {
    return this.exclusive(guildId, async (g) => {
      if (!g.following) throw new UserError('NOTHING_PLAYING', 'Nothing is playing on Spotify right now.');
      this.unfollow(g);
      await this.deps.spotify.pause(guildId).catch((err) => this.failedCommand(guildId, 'pause', err));
      await this.deps.queue.skipCurrent(guildId);
      this.deps.bus.publish({ type: 'player.idle', guildId, reason: 'stopped' });
    });
  }

  /** Stops following every guild (shutdown); the items stay playing in the queue for a later start. */
  shutdown(): void {
    for (const g of this.guilds.values()) this.unfollow(g);
  }

  /** Reads the playback state once; the end of our track (or another track) moves the queue on. */
  private poll(guildId: string, f: Following): Promise<void> {
    return this.exclusive(guildId, async (g) => {
      if (g.following !== f) return;
      let ended = false;
      try {
        const now = await this.deps.spotify.currentPlayback(guildId);
        if (g.following !== f) return;
        const ours = now?.track?.uri === f.item.track.uri;
        if (ours && now) {
          f.positionMs = now.progressMs;
          f.at = this.deps.clock.now();
          f.heard = true;
          if (now.isPlaying) f.paused = false; // resumed in the Spotify app itself
          const duration = f.item.track.durationMs ?? 0;
          const stopped = !now.isPlaying && !f.paused;
          // Spotify stops a song that ran out with it still loaded, at 0 ms (or at its end).
          const atEnd = now.progressMs === 0 || (duration > 0 && now.progressMs >= duration - END_MARGIN_MS);
          ended = stopped && atEnd;
        } else if (f.heard) {
          ended = true; // Spotify moved on (autoplay, or someone chose another song) or the device went away
        } else {
          f.misses += 1;
          ended = f.misses >= MAX_MISSES;
          if (ended)
            this.log(guildId).warn({ itemId: f.item.id }, 'the device never played the song; moving on');
        }
      } catch (err) {
        if (isUserError(err) && err.code === 'SPOTIFY_NOT_LINKED') {
          this.log(guildId).warn('the Spotify account was unlinked while a song played on it');
          this.unfollow(g);
          await this.deps.queue.skipCurrent(guildId);
          this.deps.bus.publish({ type: 'player.idle', guildId, reason: 'disconnected' });
          return;
        }
        this.log(guildId).warn({ err: errText(err) }, 'reading the Spotify playback state failed');
      }
      if (!ended) {
        this.arm(guildId, f);
        return;
      }
      const playedMs = this.position(f);
      this.unfollow(g);
      await this.deps.queue.markPlayed(guildId, playedMs);
      await this.advance(guildId, g);
    });
  }

  /** After an item: the next Spotify item plays on the device; anything else goes to the voice player. */
  private async advance(guildId: string, g: GuildDevice): Promise<void> {
    const next = await this.deps.queue.next(guildId);
    if (!next) {
      this.deps.bus.publish({ type: 'player.idle', guildId, reason: 'queue_empty' });
      return;
    }
    if (next.track.provider === 'spotify' && (await this.deps.mode(guildId)) === 'device') {
      try {
        await this.playItem(guildId, g, next);
        return;
      } catch (err) {
        // The song stays queued (a device may be back later); nothing plays meanwhile.
        this.log(guildId).warn(
          { err: errText(err), itemId: next.id },
          'the next song could not start on Spotify',
        );
        const message = isUserError(err) ? err.message : 'The song could not start on Spotify.';
        this.deps.bus.publish({ type: 'player.track_failed', guildId, item: next, message });
        this.deps.bus.publish({ type: 'player.idle', guildId, reason: 'stopped' });
        return;
      }
    }
    await this.deps
      .handOff(guildId)
      .catch((err) => this.log(guildId).warn({ err }, 'handing over to voice failed'));
  }

  /** Plays on the device first, then marks the item playing (a refused play leaves it queued). */
  private async playItem(guildId: string, g: GuildDevice, item: QueueItem): Promise<void> {
    await this.deps.spotify.play(guildId, item.track.uri);
    const playing = await this.deps.queue.markPlaying(guildId, item.id);
    this.follow(guildId, g, playing, 0, false);
    this.log(guildId).info({ itemId: playing.id, uri: playing.track.uri }, 'playing on the Spotify device');
    this.deps.bus.publish({ type: 'player.now_playing', guildId, item: playing });
  }

  private follow(
    guildId: string,
    g: GuildDevice,
    item: QueueItem,
    positionMs: number,
    paused: boolean,
  ): void {
    const f: Following = {
      item,
      paused,
      positionMs,
      at: this.deps.clock.now(),
      heard: false,
      misses: 0,
      cancel: null,
    };
    g.following = f;
    this.arm(guildId, f);
  }

  private arm(guildId: string, f: Following): void {
    f.cancel = this.schedule(() => this.poll(guildId, f), this.pollMs);
  }

  private unfollow(g: GuildDevice): void {
    g.following?.cancel?.();
    g.following = null;
  }

  private position(f: Following): number {
    return f.paused ? f.positionMs : f.positionMs + (this.deps.clock.now() - f.at);
  }

  private failedCommand(guildId: string, command: string, err: unknown): void {
    this.log(guildId).warn({ err: errText(err), command }, 'Spotify refused a player command; going on');
  }

  private exclusive<T>(guildId: string, fn: (g: GuildDevice) => Promise<T>): Promise<T> {
    let g = this.guilds.get(guildId);
    if (!g) {
      g = { following: null };
      this.guilds.set(guildId, g);
    }
    const guild = g;
    return this.mutex.run(guildId, () => fn(guild));
  }

  private log(guildId: string): Logger {
    return this.deps.logger.child({ guildId });
  }
}

function active(g: GuildDevice): Following {
  if (!g.following) throw new UserError('NOTHING_PLAYING', 'Nothing is playing on Spotify right now.');
  return g.following;
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
