import { runInNewContext } from 'node:vm';

/** The fields of a youtubei.js `Format` that choosing one needs. */
export interface FormatFacts {
  itag: number;
  mime_type: string;
  bitrate: number;
  has_audio: boolean;
  has_video: boolean;
  url?: string | undefined;
  signature_cipher?: string | undefined;
  cipher?: string | undefined;
  audio_track?: { audio_is_default: boolean } | undefined;
  is_drc?: boolean | undefined;
}

export interface ChosenFormat {
  itag: number;
  /** What the voice layer can do with it: pass WebM/Opus through, anything else through ffmpeg. */
  type: 'webm/opus' | 'arbitrary';
  mimeType: string;
}

/**
 * Picks the audio to stream: audio-only formats that come with a URL (formats YouTube moved to
 * SABR-only streaming have none), the default language track, no dynamic-range-compressed
 * variant; among them WebM/Opus first (itag 251 is ~160 kb/s Opus, which Discord takes as it is, with
 * no transcoding), then the highest bitrate. Returns null when there is no audio at all.
 */
export function pickAudioFormat(formats: readonly FormatFacts[]): ChosenFormat | null {
  const candidates = formats.filter(
    (f) =>
      f.has_audio &&
      !f.has_video &&
      Boolean(f.url || f.signature_cipher || f.cipher) &&
      f.audio_track?.audio_is_default !== false &&
      !f.is_drc,
  );
  const pool = candidates.length
    ? candidates
    : formats.filter((f) => f.has_audio && (f.url || f.signature_cipher || f.cipher));
  const isOpus = (f: FormatFacts) => /^audio\/webm/i.test(f.mime_type) && /opus/i.test(f.mime_type);
  const best = [...pool].sort((a, b) => Number(isOpus(b)) - Number(isOpus(a)) || b.bitrate - a.bitrate)[0];
  if (!best) return null;
  return { itag: best.itag, type: isOpus(best) ? 'webm/opus' : 'arbitrary', mimeType: best.mime_type };
}

/**
 * The JavaScript evaluator youtubei.js (v16+) needs to decipher stream URLs: it extracts the
 * signature and `n` functions from YouTube's player script and hands over a self-contained function
 * body that ends in `return process(...)`. We run it in a fresh V8 context (no `process`, `require`
 * or globals of ours, and a time limit) rather than `new Function` in our own realm. Not a
 * security boundary against hostile code, but this code comes from YouTube's own player.
 */
export function evaluatePlayerScript(data: { output: string }, timeoutMs = 2_000): Record<string, unknown> {
  const result = runInNewContext(`(function () {\n${data.output}\n})()`, Object.create(null), {
    timeout: timeoutMs,
    filename: 'youtube-player-decipher.js',
  }) as unknown;
  if (typeof result !== 'object' || result === null) return {};
  // Copy out of the other realm so callers get plain objects of ours.
  return { ...(result as Record<string, unknown>) };
}
