import type { NowPlayingData, OverlayEvent } from './events.ts';

/** One frame, serialized once for every socket it goes to. */
export function encode(event: OverlayEvent): Buffer {
  return Buffer.from(JSON.stringify(event), 'utf8');
}

/** A remembered now-playing moved on to `now`, so that a late page starts at the right place. */
export function advanceNowPlaying(data: NowPlayingData, now: number): NowPlayingData {
  const at = Date.parse(data.timestamp);
  if (data.paused || data.position_ms === null || !Number.isFinite(at)) return data;
  let position = data.position_ms + Math.max(0, now - at);
  if (data.track?.duration_ms != null) position = Math.min(position, data.track.duration_ms);
  return { ...data, position_ms: position, timestamp: new Date(now).toISOString() };
}
