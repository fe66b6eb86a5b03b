import type { Readable } from 'node:stream';
import { isUserError, UserError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { MediaAllowlist } from '../net/address-policy.ts';
import { safeFetch } from '../net/safe-fetch.ts';
import type { PlayableStream } from '../playback/ports.ts';
import { containerOf, peek } from '../providers/sniff.ts';
import { IcyDemuxer, splitStreamTitle } from './icy.ts';

/** What the stream's own headers say of the station (icy-name, icy-br, icy-genre, the content type). */
export interface StreamDetails {
  name: string | null;
  bitrate: number | null;
  genre: string | null;
  codec: string | null;
}

export type ConnectionState = 'connecting' | 'playing' | 'reconnecting' | 'stopped';

export interface StationConnectionOptions {
  streamUrl: string;
  customHeaders: Record<string, string>;
  allowlist: MediaAllowlist;
  logger: Logger;
  /** Where the audio goes (the voice channel); null: read for the metadata only, drop the audio. */
  sink: ((source: PlayableStream) => Promise<void>) | null;
  onDetails(details: StreamDetails): void;
  /** A StreamTitle from the stream's metadata blocks, the moment it arrives. */
  onTitle(song: { artist: string | null; title: string | null; raw: string }): void;
  onState(state: ConnectionState, reason?: string): void;
  /** First retry after this long, doubling up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A stream that sends nothing for this long counts as dropped (default 15 s). */
  stallMs?: number;
}

/**
 * One HTTP connection to a station's stream, asking for in-band ICY metadata (`Icy-MetaData: 1`): the
 * audio goes to the voice channel (or is dropped, for a metadata-only follow), each StreamTitle is
 * reported as it passes. When the stream drops it reconnects with backoff until `stop()`. Every
 * connect goes through the SSRF guard again (DNS can change).
 */
export class StationConnection {
  private readonly options: StationConnectionOptions;
  private state: ConnectionState = 'connecting';
  private attempt = 0;
  private backoffMs: number;
  private current: { body: Readable; close(): void } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private sink: StationConnectionOptions['sink'];

  constructor(options: StationConnectionOptions) {
    this.options = options;
    this.sink = options.sink;
    this.backoffMs = options.initialBackoffMs ?? 1_000;
  }

  get status(): ConnectionState {
    return this.state;
  }

  /** Connects once; resolves when audio flows. @throws UserError (the first connect failed: nothing retries) */
  async start(): Promise<void> {
    await this.connect(++this.attempt);
  }

  /** The current attempt failed (the stream or the voice side ended): reconnect after the backoff. */
  restart(reason: string): void {
    this.failed(this.attempt, reason);
  }

  /** From now on the audio is dropped (the voice session is gone); the metadata keeps flowing. */
  dropAudio(): void {
    this.sink = null;
    this.restart('voice session gone; following the metadata only');
  }

  stop(): void {
    if (this.state === 'stopped') return;
    this.setState('stopped');
    this.attempt += 1;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.current?.close();
    this.current = null;
  }

  private async connect(attempt: number): Promise<void> {
    if (this.state === 'stopped') return;
    this.setState(this.state === 'reconnecting' ? 'reconnecting' : 'connecting');
    const response = await safeFetch(this.options.streamUrl, {
      allowlist: this.options.allowlist,
      headers: { ...this.options.customHeaders, 'Icy-MetaData': '1' },
      timeoutMs: 10_000,
    });
    if (attempt !== this.attempt) {
      response.body.destroy();
      return;
    }
    const h = response.headers;
    const type = String(h['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    this.options.onDetails({
      name: header(h['icy-name']),
      bitrate: Number(header(h['icy-br'])) || null,
      genre: header(h['icy-genre']),
      codec: codecOf(type),
    });
    const metaint = Number(header(h['icy-metaint']));
    let audio: Readable = response.body;
    if (Number.isInteger(metaint) && metaint > 0) {
      audio = response.body.pipe(
        new IcyDemuxer(metaint, (fields) => {
          const raw = fields.StreamTitle ?? '';
          this.options.onTitle({ ...splitStreamTitle(raw), raw });
        }),
      );
      response.body.once('error', (err) => audio.destroy(err));
    }
    // A stream that stops sending without closing is dropped too: the seed's reader waited forever.
    const stallMs = this.options.stallMs ?? 15_000;
    let lastData = Date.now();
    response.body.on('data', () => {
      lastData = Date.now();
    });
    const watchdog = setInterval(
      () => {
        if (Date.now() - lastData > stallMs)
          this.failed(attempt, `the stream sent nothing for ${stallMs / 1000} s`);
      },
      Math.min(1_000, stallMs / 2),
    );
    watchdog.unref();
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(watchdog);
      response.body.destroy();
      audio.destroy();
    };
    this.current = { body: audio, close };
    const ended = (why: string) => this.failed(attempt, why);
    audio.once('end', () => ended('the stream ended'));
    audio.once('error', (err) => ended(`the stream failed (${err.message})`));
    response.body.once('close', () => ended('the connection closed'));
    if (this.sink) {
      const first = await Promise.race([
        peek(audio, 4096),
        new Promise<null>((resolve) => setTimeout(resolve, stallMs, null).unref()),
      ]);
      if (!first) {
        close();
        throw new UserError('UPSTREAM_ERROR', `The stream sent no audio within ${stallMs / 1000} s.`);
      }
      const { head, stream } = first;
      await this.sink({ stream, type: head.length ? containerOf(head) : 'arbitrary', live: true, close });
    } else {
      audio.resume();
    }
    if (attempt !== this.attempt) return;
    this.backoffMs = this.options.initialBackoffMs ?? 1_000;
    this.setState('playing');
  }

  private failed(attempt: number, reason: string): void {
    if (attempt !== this.attempt || this.state === 'stopped') return;
    this.attempt += 1;
    this.current?.close();
    this.current = null;
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 30_000);
    this.setState('reconnecting', reason);
    this.options.logger.warn({ reason, retryInMs: wait }, 'station stream dropped; reconnecting');
    const next = this.attempt;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect(next).catch((err) => {
        const why = isUserError(err) ? err.message : String(err);
        this.failed(next, why);
      });
    }, wait);
    this.timer.unref();
  }

  private setState(state: ConnectionState, reason?: string): void {
    const changed = state !== this.state || reason !== undefined;
    this.state = state;
    if (changed) this.options.onState(state, reason);
  }
}

function header(value: string | string[] | undefined): string | null {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  return v ? v.slice(0, 200) : null;
}

function codecOf(type: string): string | null {
  const known: Record<string, string> = {
    'audio/mpeg': 'mp3',
    'audio/aac': 'aac',
    'audio/aacp': 'aac',
    'audio/ogg': 'ogg',
    'application/ogg': 'ogg',
    'audio/opus': 'opus',
    'audio/webm': 'webm',
    'audio/flac': 'flac',
  };
  return known[type] ?? (type ? type.slice(0, 20) : null);
}
