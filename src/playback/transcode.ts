import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { PlayableStream } from './ports.ts';

const live = new Set<ChildProcessByStdio<Writable, Readable, Readable>>();

/** ffmpeg processes running now (tests check that none is left behind). */
export function runningTranscoders(): number {
  return live.size;
}

/**
 * Turns any audio into Ogg/Opus with Debian's ffmpeg (libopus), so the voice layer only demuxes and
 * never encodes Opus in JavaScript. The process is killed when the stream is closed, ends or fails.
 */
export function transcodeToOggOpus(
  input: PlayableStream,
  options: {
    ffmpegPath?: string;
    seekMs?: number;
    /** Percent, 0..100; applied as an ffmpeg gain filter. */
    volume?: number;
    onExit?: (info: { pid: number | undefined; code: number | null; signal: string | null }) => void;
  } = {},
): PlayableStream {
  const args = ['-hide_banner', '-loglevel', 'error', '-probesize', '32k', '-analyzeduration', '0'];
  if (options.seekMs) args.push('-ss', (options.seekMs / 1000).toFixed(3));
  args.push('-i', 'pipe:0', '-vn');
  if (options.volume !== undefined && options.volume !== 100)
    args.push('-af', `volume=${(options.volume / 100).toFixed(2)}`);
  args.push('-ac', '2', '-ar', '48000', '-c:a', 'libopus', '-b:a', '128k');
  args.push(
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
  const child = spawn(options.ffmpegPath ?? 'ffmpeg', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(child);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    input.close();
    input.stream.unpipe(child.stdin);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  child.once('exit', (code, signal) => {
    live.delete(child);
    input.close();
    options.onExit?.({ pid: child.pid, code, signal });
  });
  child.stdin.on('error', () => {}); // EPIPE when ffmpeg exits first
  child.stderr.resume();
  input.stream.on('error', () => close());
  input.stream.pipe(child.stdin);
  child.stdout.once('close', () => close());
  return { stream: child.stdout, type: 'ogg/opus', live: input.live, close };
}
