import { EventEmitter } from 'node:events';
import type { Clock } from '../../../src/core/clock.ts';
import type { FakeTrack } from './catalog.ts';

/** What a device was told, in order: `play spotify:track:<id>`, `resume`, `pause`, `next`. */
export type DeviceCommand = string;

/**
 * A Spotify Connect device (the streamer's desktop app): it plays what the Web API tells it, and a
 * test ends its track with {@link endTrack}, as the song running out would.
 */
export class FakeDevice extends EventEmitter<{ command: [DeviceCommand]; ended: [FakeTrack] }> {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  isActive = false;
  /** Every command received, in order. */
  readonly commands: DeviceCommand[] = [];
  /** The tracks given by the last play, and which one is loaded. */
  context: FakeTrack[] = [];
  index = 0;
  isPlaying = false;
  private positionMs = 0;
  private since = 0;
  private readonly clock: Clock;

  constructor(options: { id: string; name: string; type?: string; clock: Clock }) {
    super();
    this.id = options.id;
    this.name = options.name;
    this.type = options.type ?? 'Computer';
    this.clock = options.clock;
  }

  get track(): FakeTrack | null {
    return this.context[this.index] ?? null;
  }

  /** Where the track is, by the fake's clock, never past its end. */
  get progressMs(): number {
    const track = this.track;
    if (!track) return 0;
    const moved = this.isPlaying ? this.clock.now() - this.since : 0;
    return Math.min(this.positionMs + moved, track.durationMs);
  }

  play(tracks: FakeTrack[], positionMs = 0): void {
    this.context = tracks;
    this.index = 0;
    this.start(positionMs);
    this.record(`play ${tracks.map((t) => `spotify:track:${t.id}`).join(',')}`);
  }

  resume(): void {
    if (!this.isPlaying) this.start(this.progressMs);
    this.record('resume');
  }

  pause(): void {
    this.positionMs = this.progressMs;
    this.isPlaying = false;
    this.record('pause');
  }

  next(): void {
    this.index += 1;
    if (this.track) this.start(0);
    else this.stop();
    this.record('next');
  }

  /**
   * The loaded track plays to its end. With more tracks from the last play the next one starts;
   * otherwise the device stops with the ended track still loaded at 0 ms, as Spotify shows it.
   */
  endTrack(): void {
    const ended = this.track;
    if (!ended) throw new Error(`device ${this.name} has no track to end`);
    if (this.index + 1 < this.context.length) {
      this.index += 1;
      this.start(0);
    } else this.stop();
    this.emit('ended', ended);
  }

  private start(positionMs: number): void {
    this.positionMs = positionMs;
    this.since = this.clock.now();
    this.isPlaying = true;
  }

  private stop(): void {
    this.isPlaying = false;
    this.positionMs = 0;
  }

  private record(command: DeviceCommand): void {
    this.commands.push(command);
    this.emit('command', command);
  }
}
