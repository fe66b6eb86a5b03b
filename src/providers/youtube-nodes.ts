import type { VideoFacts } from './youtube-map.ts';

const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;

/** The fields of youtubei.js's parsed nodes we read, all optional: YouTube changes them often. */
interface LooseNode {
  type?: string;
  id?: unknown;
  video_id?: unknown;
  content_id?: unknown;
  content_type?: unknown;
  title?: unknown;
  author?: { name?: unknown; id?: unknown } | null;
  duration?: { seconds?: unknown; text?: unknown } | null;
  is_live?: unknown;
  is_playable?: unknown;
  is_upcoming?: unknown;
  metadata?: unknown;
  content_image?: unknown;
}

/**
 * One search result or playlist entry (youtubei.js `Video`, `PlaylistVideo` or the newer
 * `LockupView`) as plain facts; null for entries that are not playable videos (channels,
 * playlists, deleted or private entries, upcoming premieres).
 */
export function nodeToFacts(input: unknown): VideoFacts | null {
  const node = input as LooseNode | null;
  if (!node || typeof node !== 'object') return null;
  if (node.type === 'LockupView') return lockupToFacts(node);
  const id = text(node.video_id) || text(node.id);
  if (!VIDEO_ID.test(id) || node.is_playable === false || node.is_upcoming === true) return null;
  const seconds = Number(node.duration?.seconds);
  const live = node.is_live === true;
  return {
    id,
    title: text(node.title),
    channel: text(node.author?.name) || null,
    channelId: text(node.author?.id) || null,
    durationMs: !live && seconds > 0 ? seconds * 1000 : null,
    live,
  };
}

/** `LockupView`: title in `metadata.title`, channel in the first metadata row, length as a badge. */
function lockupToFacts(node: LooseNode): VideoFacts | null {
  const id = text(node.content_id);
  if (node.content_type !== 'VIDEO' || !VIDEO_ID.test(id)) return null;
  const metadata = node.metadata as
    | {
        title?: unknown;
        metadata?: { metadata_rows?: { metadata_parts?: { text?: unknown }[] }[] } | null;
      }
    | null
    | undefined;
  const channel = text(metadata?.metadata?.metadata_rows?.[0]?.metadata_parts?.[0]?.text);
  const clock = findClock(node.content_image, 0);
  return {
    id,
    title: text(metadata?.title),
    channel: channel || null,
    durationMs: clock,
    live: false,
  };
}

function text(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (value && typeof value === 'object' && 'toString' in value) {
    const s = String(value);
    return s === '[object Object]' || s === 'N/A' ? '' : s.trim();
  }
  return '';
}

/** The first `m:ss` or `h:mm:ss` text inside a node (the length badge on a thumbnail), in ms. */
function findClock(value: unknown, depth: number): number | null {
  if (depth > 8 || value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    if ((key === 'text' || key === 'badge_text') && typeof child === 'string') {
      const m = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(child.trim());
      if (m) return ((Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000;
    }
    const found = findClock(child, depth + 1);
    if (found !== null) return found;
  }
  return null;
}
