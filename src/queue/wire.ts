import type { QueueItem } from '../core/track.ts';

/*
 * A queue item as the REST API and the overlay's live events both show it: one shape, so that a client
 * reading both sees the same fields.
 */

/** A track on the wire (snake_case). */
export function wireTrack(item: Pick<QueueItem, 'track'>) {
  const t = item.track;
  return {
    track_id: t.id,
    name: t.title,
    artist: t.artist,
    album: t.album,
    album_art_url: t.artworkUrl,
    duration_ms: t.durationMs,
    provider: t.provider,
    uri: t.uri,
  };
}

/** A queue item on the wire; `position` is 1-based among queued items, null otherwise. */
export function wireItem(item: QueueItem) {
  return {
    id: item.id,
    track: wireTrack(item),
    requested_by_user_id: item.requestedBy,
    /** Where the request came from: discord (slash commands, buttons, the REST API) or twitch (chat). */
    source: item.requester?.source ?? 'discord',
    /** The name to show for a Twitch viewer; null for a Discord member (shown by id). */
    requested_by_name: item.requester?.name ?? null,
    requested_at: item.requestedAt,
    votes: item.votes,
    position: item.position,
    status: item.status,
  };
}
