import type { Readable } from 'node:stream';
import type { Track } from '../core/track.ts';

/** A stream ready for the voice layer; `type` decides Opus passthrough or ffmpeg. */
export interface PlayableStream {
  stream: Readable;
  type: 'ogg/opus' | 'webm/opus' | 'arbitrary';
  live: boolean;
  /** Start this far into the audio (the voice layer then decodes through ffmpeg with -ss). */
  seekMs?: number;
  /** Volume in percent (0..100); anything but 100 decodes through ffmpeg with a gain filter. */
  volume?: number;
  /** An ffmpeg audio filter graph (`-af`, see filters.ts); set, the audio decodes through ffmpeg. */
  filter?: string;
  /** Set on a stream that ffmpeg produced (tests and logs tell passthrough from transcoding). */
  transcoded?: boolean;
  /** Releases the source (sockets, child processes). Safe to call twice. */
  close(): void;
}

/** Opens a track's audio (the provider registry implements it). */
export interface StreamSource {
  open(track: Track, options: { seekMs?: number }): Promise<PlayableStream>;
}

/** One guild's voice connection, as the player sees it (the Discord adapter implements it). */
export interface VoiceSession {
  readonly channelId: string;
  /** Starts playing; resolves once audio flows. Ends any previous track without a 'finish' event. */
  play(source: PlayableStream): Promise<void>;
  pause(): void;
  resume(): void;
  /** Stops the current track (no 'finish' event). */
  stopTrack(): void;
  /** Leaves the channel and releases everything. */
  leave(): void;
  /** Members (not bots) in the channel. */
  listeners(): string[];
  /** Called when a track ends by itself, or fails while playing. */
  onTrackEnd(handler: (reason: 'finished' | 'error', error?: Error) => void): void;
  /** Called when the connection is gone for good (kicked, channel deleted, reconnect failed). */
  onGone(handler: (reason: string) => void): void;
  /** Called when the last member (not a bot) leaves the channel. */
  onAlone(handler: () => void): void;
}

export interface VoicePort {
  /**
   * Readies a source for `VoiceSession.play` ahead of time (starts its decoder, for sources that need
   * one), so that it can run while the connection is being made. Optional: `play` does it otherwise.
   */
  prepare?(source: PlayableStream): PlayableStream;
  /** Joins (or moves to) a voice channel. @throws UserError NOT_CONNECTED / FORBIDDEN with the reason. */
  join(guildId: string, channelId: string): Promise<VoiceSession>;
}
