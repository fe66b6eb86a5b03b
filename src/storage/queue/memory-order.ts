import { TOP_N } from './store.ts';

/** Ordering helpers of the in-memory queue store. */

export interface Entry {
  id: string;
  score: number;
}

export function insert(order: Entry[], entry: Entry): void {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (order[mid]!.score < entry.score) lo = mid + 1;
    else hi = mid;
  }
  order.splice(lo, 0, entry);
}

export function rankOf(g: { order: Entry[] }, id: string): number | null {
  const index = g.order.findIndex((e) => e.id === id);
  return index === -1 ? null : index + 1;
}

export function increment(map: Map<string, number>, key: string, by: number): void {
  const next = (map.get(key) ?? 0) + by;
  if (next <= 0) map.delete(key);
  else map.set(key, next);
}

/** Highest first; ties by key, as Redis's ZREVRANGE orders equal scores (reverse lexicographic). */
export function top<V>(map: Map<string, V>, weight: (v: V) => number): [string, V][] {
  return [...map.entries()]
    .sort((a, b) => weight(b[1]) - weight(a[1]) || (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0))
    .slice(0, TOP_N);
}
