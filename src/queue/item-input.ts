import { UserError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import {
  MAX_ITEM_BYTES,
  type RequestSource,
  type StoredItem,
  type TrackInput,
  trackSchema,
} from '../core/track.ts';

/**
 * A new queue item from a track as a caller gave it: the track validated (defaults filled in), a
 * fresh id, and the size checked against what a store keeps per item.
 * @throws UserError INVALID_INPUT, naming the track's field that is wrong, or the size
 */
export function newStoredItem(
  guildId: string,
  track: TrackInput,
  requestedBy: string,
  requestedAt: string,
  requester?: RequestSource,
): StoredItem {
  const parsed = trackSchema.safeParse(track);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError('INVALID_INPUT', `The track's ${issue.path.join('.') || 'data'} ${issue.message}.`, {
      field: issue.path.join('.'),
    });
  }
  const stored: StoredItem = {
    id: newId(),
    guildId,
    track: parsed.data,
    requestedBy,
    requestedAt,
    ...(requester && { requester: { source: requester.source, name: requester.name.slice(0, 40) } }),
  };
  const bytes = Buffer.byteLength(JSON.stringify(stored));
  if (bytes > MAX_ITEM_BYTES) {
    throw new UserError('INVALID_INPUT', `That track's details are too large to queue (${bytes} bytes).`);
  }
  return stored;
}
