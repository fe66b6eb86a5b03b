import type { TrackInput } from '../core/track.ts';
import { watchUrl } from './youtube-url.ts';

/** One video as any of our sources (Data API, youtubei.js, yt-dlp) describes it. */
export interface VideoFacts {
  id: string;
  title: string | null | undefined;
  channel: string | null | undefined;
  /** null for live streams and when the source does not say. */
  durationMs: number | null | undefined;
  live?: boolean | undefined;
  channelId?: string | null | undefined;
}

/**
 * The queue's track for a YouTube video, cut to the stored item's limits (src/core/track.ts):
 * title 200, artist 100, at most 8 metadata fields. `startMs` (from a `t=` link) rides in metadata
 * and becomes the seek when the track is opened.
 */
export function videoTrack(video: VideoFacts, startMs: number | null = null): TrackInput {
  const metadata: Record<string, string | number | boolean | null> = {};
  if (video.channelId) metadata.channel_id = video.channelId.slice(0, 100);
  if (video.live) metadata.live = true;
  if (startMs !== null && startMs > 0) metadata.start_ms = startMs;
  const duration = video.live ? null : (video.durationMs ?? null);
  return {
    id: video.id,
    title: clip(video.title, 200) || `YouTube video ${video.id}`,
    artist: clip(video.channel, 100) || null,
    album: null,
    artworkUrl: `https://i.ytimg.com/vi/${video.id}/hqdefault.jpg`,
    durationMs: duration !== null && duration > 0 && duration <= 7 * 24 * 3600 * 1000 ? duration : null,
    provider: 'youtube',
    uri: watchUrl(video.id),
    metadata,
  };
}

function clip(text: string | null | undefined, max: number): string {
  // Array.from counts code points, so an emoji is never cut in half.
  const clean = (text ?? '').replace(/\s+/g, ' ').trim();
  return clean.length <= max ? clean : Array.from(clean).slice(0, max).join('').slice(0, max).trim();
}

/**
 * An ISO 8601 duration as the Data API writes it (`PT4M13S`, `PT1H2M`, `P1DT2H`, `P0D` for live)
 * in milliseconds; null when it is not one.
 */
export function parseIsoDuration(text: string | null | undefined): number | null {
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text ?? '');
  if (!match || text === 'P' || text?.endsWith('T')) return null;
  const [, weeks, days, hours, minutes, seconds] = match;
  const total =
    Number(weeks ?? 0) * 604_800 +
    Number(days ?? 0) * 86_400 +
    Number(hours ?? 0) * 3600 +
    Number(minutes ?? 0) * 60 +
    Number(seconds ?? 0);
  return Math.round(total * 1000);
}
