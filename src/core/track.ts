import { z } from 'zod';

/** Largest stored queue item, in UTF-8 bytes of its JSON (see docs/ARCHITECTURE.md). */
export const MAX_ITEM_BYTES = 1024;

const httpUrl = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => /^https?:\/\//i.test(value), { message: 'must be an http(s) URL' });

/**
 * The seed's MusicTrack as a TypeScript type. Field limits keep one stored item under
 * {@link MAX_ITEM_BYTES}; providers shorten what they fetch before they queue it.
 */
export const trackSchema = z.strictObject({
  /** Provider-specific id (a YouTube video id, a Spotify track id, a URL for direct audio). */
  id: z.string().min(1).max(200),
  title: z.string().trim().min(1).max(200),
  artist: z.string().max(100).nullable().default(null),
  album: z.string().max(100).nullable().default(null),
  artworkUrl: httpUrl(300).nullable().default(null),
  /** Duration in milliseconds; null for live streams. */
  durationMs: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600 * 1000)
    .nullable()
    .default(null),
  provider: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be a lowercase provider name'),
  uri: z.string().min(1).max(300),
  metadata: z
    .record(z.string().max(40), z.union([z.string().max(200), z.number(), z.boolean(), z.null()]))
    .refine((value) => Object.keys(value).length <= 8, { message: 'at most 8 metadata fields' })
    .default({}),
});

export type Track = z.output<typeof trackSchema>;
export type TrackInput = z.input<typeof trackSchema>;

export type QueueStatus = 'queued' | 'playing' | 'played' | 'skipped';

/** What the queue stores for one request; the fields that change (votes, status) live beside it. */
/** Where a request came from when not from Discord, and the name to show for its requester. */
export interface RequestSource {
  source: 'twitch';
  /** The viewer's display name (at most 25 characters on Twitch; kept to 40 here). */
  name: string;
}

export interface StoredItem {
  id: string;
  guildId: string;
  track: Track;
  /** A Discord user id, or `twitch:<user-id>` for a Twitch chat viewer. */
  requestedBy: string;
  /** ISO 8601. */
  requestedAt: string;
  /** Set for requests from Twitch chat; absent for Discord and the REST API. */
  requester?: RequestSource;
}

export interface QueueItem extends StoredItem {
  /** Net votes: up votes minus down votes. */
  votes: number;
  status: QueueStatus;
  /** 1-based position among queued items; null for an item that is not queued. */
  position: number | null;
  /** ISO 8601, when it started playing (playing, played and skipped items). */
  startedAt: string | null;
  /** ISO 8601, when it ended (played and skipped items). */
  endedAt: string | null;
}
