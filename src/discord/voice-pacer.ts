import { pipeline, type Readable } from 'node:stream';
import { type VoiceConnection, VoiceConnectionStatus } from '@discordjs/voice';
import prism from 'prism-media';

const FRAME_MS = 20;
/** Ticks are never closer than this: a late clock catches up at most twice as fast as real time. */
const MIN_SPACING_MS = 10;
/** A clock further behind than this (the process was held up) starts again from now. */
const MAX_LAG_MS = 1_000;
/** Opus silence; five of them end a stream so that the listener's decoder does not interpolate. */
const SILENCE = Buffer.from([0xf8, 0xff, 0xfe]);
const SILENCE_FRAMES = 5;
/**
 * A started song whose source sends nothing for this many frames (5 s) has hung: it ends where its
 * audio ran out, so the queue moves on instead of staying silent for good.
 */
const STALL_FRAMES = 250;

/**
 * One 20 ms clock for every guild's audio, in place of @discordjs/voice's audio cycle. The library's
 * cycle catches up after the event loop was held up: it sends the missed frames 1 ms apart, which a
 * listener hears as a glitch (measured up to 144% of real time after a start burst). This clock makes
 * up a delay (up to MAX_LAG_MS) with one frame a tick and ticks at least MIN_SPACING_MS apart;
 * after a longer stall it starts the schedule again from now (the song resumes where it
 * stopped, a little later) instead of sending the missed frames at once.
 * Each tick sends the packets prepared on the previous tick first (so that sending is on time), then
 * prepares the next ones (demuxed Opus, encrypted by the connection).
 */
export class OpusClock {
  private readonly tracks = new Set<PacedTrack>();
  private timer: NodeJS.Timeout | null = null;
  private next = 0;

  add(track: PacedTrack): void {
    this.tracks.add(track);
    if (this.timer) return;
    this.next = performance.now();
    this.timer = setTimeout(this.tick, 0);
  }

  remove(track: PacedTrack): void {
    this.tracks.delete(track);
    if (this.tracks.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private readonly tick = (): void => {
    const now = performance.now();
    if (now - this.next > MAX_LAG_MS) this.next = now;
    // One frame a tick, also when behind; the next tick then comes sooner. (Several frames a tick
    // when behind were tried: the DAVE downgrade e2e test then failed, for a reason not found yet.)
    this.next += FRAME_MS;
    for (const track of this.tracks) track.guarded(() => track.dispatch());
    for (const track of this.tracks) track.guarded(() => track.prepare());
    if (this.tracks.size === 0) {
      this.timer = null;
      return;
    }
    this.timer = setTimeout(this.tick, Math.max(MIN_SPACING_MS, this.next - performance.now()));
  };
}

export interface PacedTrackEvents {
  /** The first Opus packet is on its way (the song is playing). */
  onStart(): void;
  /** The stream ended (`finished`) or failed (`error`); not called after `stop()`. */
  onEnd(reason: 'finished' | 'error', error?: Error): void;
}

/**
 * One song's Opus packets into one voice connection, one per tick of the shared clock. The source is
 * Ogg/Opus or WebM/Opus bytes, demuxed here (prism-media) without @discordjs/voice's pipeline finder,
 * which runs `ffmpeg -h` synchronously on first use (measured: the event loop held 100-750 ms).
 */
export class PacedTrack {
  private readonly connection: VoiceConnection;
  private readonly clock: OpusClock;
  private readonly packets: Readable;
  private readonly events: PacedTrackEvents;
  private started = false;
  private paused = false;
  private ended = false;
  private done = false;
  /** Silence frames still to send before going quiet (-1: not going quiet). */
  private silenceLeft = -1;
  private prepared = false;
  private missed = 0;

  constructor(
    connection: VoiceConnection,
    clock: OpusClock,
    source: { stream: Readable; type: 'ogg/opus' | 'webm/opus' },
    events: PacedTrackEvents,
  ) {
    this.connection = connection;
    this.clock = clock;
    this.events = events;
    const demuxer = source.type === 'webm/opus' ? new prism.opus.WebmDemuxer() : new prism.opus.OggDemuxer();
    this.packets = demuxer;
    pipeline(source.stream, demuxer, (err) => {
      if (err) this.finish('error', err);
    });
    demuxer.once('end', () => {
      this.ended = true;
      if (!this.paused) this.silenceLeft = this.started ? SILENCE_FRAMES : 0;
    });
    clock.add(this);
  }

  pause(): void {
    if (this.paused || this.done) return;
    this.paused = true;
    this.silenceLeft = this.started ? SILENCE_FRAMES : 0;
  }

  resume(): void {
    this.paused = false;
    this.silenceLeft = -1;
  }

  /** Stops sending; no `onEnd`. */
  stop(): void {
    if (this.done) return;
    this.done = true;
    this.clock.remove(this);
    this.packets.destroy();
    this.connection.setSpeaking(false);
  }

  /** Runs a step of the clock for this track; a step that throws ends the track, not the clock. */
  guarded(step: () => void): void {
    try {
      step();
    } catch (err) {
      this.finish('error', err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Sends the packet prepared on the previous tick. */
  dispatch(): void {
    if (this.prepared) this.connection.dispatchAudio();
    this.prepared = false;
  }

  /** Prepares this tick's packet: the next Opus frame, silence to end with, or nothing. */
  prepare(): void {
    if (this.done || this.connection.state.status !== VoiceConnectionStatus.Ready) return;
    if (this.paused || this.ended) {
      if (this.silenceLeft > 0) {
        this.silenceLeft--;
        this.send(SILENCE);
      } else if (this.silenceLeft === 0) {
        this.silenceLeft = -1;
        this.connection.setSpeaking(false);
      }
      if (this.ended && !this.paused && this.silenceLeft === -1) this.finish('finished');
      return;
    }
    const packet = this.packets.read() as Buffer | null;
    if (packet) {
      this.missed = 0;
      this.send(packet);
      if (!this.started) {
        this.started = true;
        this.events.onStart();
      }
    } else if (this.started && ++this.missed >= STALL_FRAMES) {
      this.finish('finished');
    }
    // No packet: the source is late (nothing this tick, no catch-up later), or it has just ended
    // ('end' follows on the next turn of the event loop).
  }

  private send(packet: Buffer): void {
    this.prepared = this.connection.prepareAudioPacket(packet) !== undefined;
  }

  private finish(reason: 'finished' | 'error', error?: Error): void {
    if (this.done) return;
    this.done = true;
    this.clock.remove(this);
    this.packets.destroy();
    this.events.onEnd(reason, error);
  }
}
