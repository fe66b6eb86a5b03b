import { type ChildProcessByStdio, execFile, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { PlayableStream } from './ports.ts';

type Ffmpeg = ChildProcessByStdio<Writable, Readable, Readable>;

export interface TranscodeOptions {
  ffmpegPath?: string;
  seekMs?: number | undefined;
  /** Percent, 0..100; applied as an ffmpeg gain filter. */
  volume?: number | undefined;
  /** An ffmpeg audio filter graph (the guild's filter), applied before the volume. */
  filter?: string | undefined;
  onExit?: (info: { pid: number | undefined; code: number | null; signal: string | null }) => void;
  /**
   * Read the input at most this many times faster than real time (ffmpeg >= 5.0 `-readrate`), so that
   * fifty songs starting at once do not each transcode seconds ahead as fast as the CPU allows.
   */
  readRate?: number | undefined;
}

/** How fast ffmpeg may read ahead of real time: enough to build a buffer, not a CPU burst at start. */
export const READ_RATE = 2;

/**
 * Whether this ffmpeg knows `-readrate` (5.0 and later; development builds are named `N-...`). Asked once,
 * off the event loop; an ffmpeg that cannot be run answers false (and fails later, with its own error).
 */
export function ffmpegSupportsReadRate(ffmpegPath = 'ffmpeg'): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(ffmpegPath, ['-hide_banner', '-version'], { timeout: 10_000 }, (err, stdout) => {
      if (err) return resolve(false);
      const m = /ffmpeg version (\S+)/.exec(stdout);
      const version = m?.[1] ?? '';
      if (/^N-/.test(version)) return resolve(true);
      const major = Number(/^n?(\d+)\./.exec(version)?.[1] ?? 0);
      resolve(major >= 5);
    });
  });
}

/**
 * Turns any audio into Ogg/Opus with Debian's ffmpeg (libopus), so the voice layer only demuxes and
 * never encodes Opus in JavaScript. The process is killed when the stream is closed, ends or fails.
 * (A spare process started ahead was tried: it cut /play -> first packet for an mp3 from ~127 ms to
 * ~67 ms, but leaves an ffmpeg running while nothing needs it; see docs/PERFORMANCE.md.)
 */
export function transcodeToOggOpus(input: PlayableStream, options: TranscodeOptions = {}): PlayableStream {
  const child: Ffmpeg = spawn(options.ffmpegPath ?? 'ffmpeg', args(options), {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.on('error', () => {}); // EPIPE when ffmpeg exits first
  child.stderr.resume();
  child.once('error', () => {});
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    input.close();
    input.stream.unpipe(child.stdin);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  child.once('exit', (code, signal) => {
    input.close();
    options.onExit?.({ pid: child.pid, code, signal });
  });
  input.stream.on('error', () => close());
  input.stream.pipe(child.stdin);
  child.stdout.once('close', () => close());
  return { stream: child.stdout, type: 'ogg/opus', live: input.live, transcoded: true, close };
}

function args(options: TranscodeOptions): string[] {
  // One thread: audio gains nothing from more, and each thread costs a stack.
  const argv = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-threads',
    '1',
    '-probesize',
    '32k',
    '-analyzeduration',
    '0',
  ];
  if (options.readRate) argv.push('-readrate', String(options.readRate));
  if (options.seekMs) argv.push('-ss', (options.seekMs / 1000).toFixed(3));
  argv.push('-i', 'pipe:0', '-vn');
  const graph = audioGraph(options);
  if (graph) argv.push('-af', graph);
  argv.push('-ac', '2', '-ar', '48000', '-c:a', 'libopus', '-b:a', '128k');
  argv.push(
    '-frame_duration',
    '20',
    '-application',
    'audio',
    '-page_duration',
    '20000',
    '-f',
    'ogg',
    'pipe:1',
  );
  return argv;
}

/** The `-af` graph: the filter, then the gain; null when neither is on. */
export function audioGraph(options: Pick<TranscodeOptions, 'filter' | 'volume'>): string | null {
  const parts: string[] = [];
  if (options.filter) parts.push(options.filter);
  if (options.volume !== undefined && options.volume !== 100)
    parts.push(`volume=${(options.volume / 100).toFixed(2)}`);
  return parts.length ? parts.join(',') : null;
}
