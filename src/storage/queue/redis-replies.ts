import type { StoredItem } from '../../core/track.ts';

/** Decoding what the Redis queue store reads back; a value that does not decode is null, never a throw. */

/** A stored item's JSON, or null when it is missing or not JSON. */
export function parseStored(json: string): StoredItem | null {
  return safeJson(json) as StoredItem | null;
}

/** JSON.parse that answers null for a missing or broken value (a stale or hand-edited key). */
export function safeJson(json: string | undefined): unknown {
  if (!json) return null;
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
}

/** A flat `member, score, member, score` reply (ZRANGE ... WITHSCORES) as pairs. */
export function pairs(flat: string[]): [string, number][] {
  const out: [string, number][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, Number(flat[i + 1])]);
  return out;
}
