import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'um-tones-'));
const made = new Map<string, string>();

export type ToneFormat = 'mp3' | 'ogg-opus' | 'webm-opus' | 'ogg-vorbis' | 'wav';

/** A sine tone file made by Debian's ffmpeg (cached per test process). */
export function toneFile(hz: number, seconds: number, format: ToneFormat): string {
  const key = `${hz}-${seconds}-${format}`;
  const cached = made.get(key);
  if (cached) return cached;
  const ext = {
    mp3: 'mp3',
    'ogg-opus': 'opus.ogg',
    'webm-opus': 'webm',
    'ogg-vorbis': 'vorbis.ogg',
    wav: 'wav',
  }[format];
  const codec = {
    mp3: ['-c:a', 'libmp3lame', '-b:a', '128k'],
    'ogg-opus': ['-c:a', 'libopus', '-b:a', '96k', '-f', 'ogg'],
    'webm-opus': ['-c:a', 'libopus', '-b:a', '96k', '-f', 'webm'],
    'ogg-vorbis': ['-c:a', 'libvorbis', '-f', 'ogg'],
    wav: ['-c:a', 'pcm_s16le'],
  }[format];
  const file = join(dir, `tone-${key}.${ext}`);
  execFileSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=${hz}:duration=${seconds}:sample_rate=48000`,
    '-ac',
    '2',
    ...codec,
    file,
  ]);
  made.set(key, file);
  return file;
}

/**
 * A file that plays one sine tone after another (`[hz, seconds]` each), made by Debian's ffmpeg: what
 * is heard tells how far into the song playback is (a resume at a position, not from the start).
 */
export function toneSteps(steps: readonly (readonly [number, number])[], format: ToneFormat): string {
  const key = `steps-${steps.map(([hz, s]) => `${hz}x${s}`).join('-')}-${format}`;
  const cached = made.get(key);
  if (cached) return cached;
  const codec = format === 'mp3' ? ['-c:a', 'libmp3lame', '-b:a', '128k'] : ['-c:a', 'pcm_s16le'];
  const file = join(dir, `tone-${key}.${format === 'mp3' ? 'mp3' : 'wav'}`);
  if (format !== 'mp3' && format !== 'wav') throw new Error(`toneSteps makes mp3 or wav, not ${format}`);
  const inputs = steps.flatMap(([hz, s]) => [
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=${hz}:duration=${s}:sample_rate=48000`,
  ]);
  const concat = `${steps.map((_, i) => `[${i}:a]`).join('')}concat=n=${steps.length}:v=0:a=1[out]`;
  execFileSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    ...inputs,
    '-filter_complex',
    concat,
    '-map',
    '[out]',
    '-ac',
    '2',
    ...codec,
    file,
  ]);
  made.set(key, file);
  return file;
}
