import { isUserError, UserError } from '../core/errors.ts';
import { KeyedMutex } from '../core/keyed-mutex.ts';
import type { Logger } from '../core/logger.ts';
import type { QueueItem } from '../core/track.ts';
import {
  atEnd,
  DEVICE_POLL_MS,
  type DevicePlayerDeps,
  errText,
  type Following,
  followed,
  observe,
  realSchedule,
  type Schedule,
} from './device-following.ts';

export { DEVICE_POLL_MS, type DevicePlayerDeps, realSchedule, type Schedule } from './device-following.ts';

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
        await this.adopt(guildId, g, playing);
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
      const f = followed(g.following);
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
      const f = followed(g.following);
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
      const f = followed(g.following);
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
      await this.remember(guildId, null);
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
        const seen = observe(f, now, this.deps.clock.now());
        ended = seen !== 'playing';
        if (seen === 'never_played')
          this.log(guildId).warn({ itemId: f.item.id }, 'the device never played the song; moving on');
      } catch (err) {
        if (isUserError(err) && err.code === 'SPOTIFY_NOT_LINKED') {
          this.log(guildId).warn('the Spotify account was unlinked while a song played on it');
          this.unfollow(g);
          await this.deps.queue.skipCurrent(guildId);
          await this.remember(guildId, null);
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
      await this.remember(guildId, null);
      this.deps.bus.publish({ type: 'player.idle', guildId, reason: 'queue_empty' });
      return;
    }
    if (next.track.provider === 'spotify' && (await this.deps.mode(guildId)) === 'device') {
      try {
        await this.playItem(guildId, g, next);
        return;
      } catch (err) {
        await this.remember(guildId, null);
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
    await this.remember(guildId, null);
    await this.deps
      .handOff(guildId)
      .catch((err) => this.log(guildId).warn({ err }, 'handing over to voice failed'));
  }

  /** Follows the item the queue still has playing (after a restart), where the device has it now. */
  private async adopt(guildId: string, g: GuildDevice, item: QueueItem): Promise<void> {
    const now = await this.deps.spotify.currentPlayback(guildId).catch(() => null);
    const ours = now?.track?.uri === item.track.uri ? now : null;
    // Paused on the device while we were away: it stays paused, and ends only after a resume.
    const paused = !!ours && !ours.isPlaying && !atEnd(ours.progressMs, item.track.durationMs);
    this.follow(guildId, g, item, ours?.progressMs ?? 0, paused).heard = ours !== null;
    await this.remember(guildId, item.id);
    this.log(guildId).info({ itemId: item.id, paused }, 'following the song on the Spotify device again');
  }

  /** Plays on the device first, then marks the item playing (a refused play leaves it queued). */
  private async playItem(guildId: string, g: GuildDevice, item: QueueItem): Promise<void> {
    await this.deps.spotify.play(guildId, item.track.uri);
    const playing = await this.deps.queue.markPlaying(guildId, item.id);
    this.follow(guildId, g, playing, 0, false);
    await this.remember(guildId, playing.id);
    this.log(guildId).info({ itemId: playing.id, uri: playing.track.uri }, 'playing on the Spotify device');
    this.deps.bus.publish({ type: 'player.now_playing', guildId, item: playing });
  }

  private follow(
    guildId: string,
    g: GuildDevice,
    item: QueueItem,
    positionMs: number,
    paused: boolean,
  ): Following {
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
    return f;
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

  /** Records which item the guild plays on the device (null: none), for `resumeDevices` after a restart. */
  private async remember(guildId: string, itemId: string | null): Promise<void> {
    await this.deps.queue
      .saveDevicePlayback(guildId, itemId)
      .catch((err) => this.log(guildId).warn({ err: errText(err) }, 'saving the device playback failed'));
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
