import type { TrackInput } from '../core/track.ts';

/** How far a YouTube video's length may be from the Spotify track's and still count as the same song. */
export const MATCH_TOLERANCE_MS = 5_000;
/** Candidates read per search. */
const CANDIDATES = 5;

/** What the matcher knows of a Spotify track. */
export interface MatchWanted {
  title: string;
  /** The main artist first; only the first one goes into the search. */
  artists: string[];
  /** 0 or null: unknown, any length goes. */
  durationMs: number | null;
  isrc: string | null;
}

/** The YouTube video chosen for a Spotify track, and how it was found. */
export interface YouTubeMatch {
  videoId: string;
  title: string;
  durationMs: number | null;
  by: 'isrc' | 'search';
}

/** Searches YouTube by words (the YouTube provider's search). */
export type YouTubeSearch = (query: string, limit: number) => Promise<TrackInput[]>;

/**
 * Finds the YouTube video for a Spotify track: first by its ISRC (uploads by labels and distributors
 * carry it), then by "artist title"; the first candidate whose length is within
 * {@link MATCH_TOLERANCE_MS} of the track's wins. Null when none fits.
 * @throws UserError from the search (UPSTREAM_ERROR, ...)
 */
export async function matchOnYouTube(
  wanted: MatchWanted,
  search: YouTubeSearch,
): Promise<YouTubeMatch | null> {
  const queries: { q: string; by: YouTubeMatch['by'] }[] = [];
  if (wanted.isrc) queries.push({ q: wanted.isrc, by: 'isrc' });
  const artist = wanted.artists[0];
  queries.push({ q: artist ? `${artist} ${wanted.title}` : wanted.title, by: 'search' });
  for (const { q, by } of queries) {
    const found = await search(q, CANDIDATES);
    const pick = found.find((t) => fits(t.durationMs ?? null, wanted.durationMs));
    if (pick && pick.provider === 'youtube') {
      return { videoId: pick.id, title: pick.title, durationMs: pick.durationMs ?? null, by };
    }
  }
  return null;
}

function fits(candidateMs: number | null, wantedMs: number | null): boolean {
  if (!wantedMs) return true;
  if (candidateMs === null) return false; // a live stream is never a recording's match
  return Math.abs(candidateMs - wantedMs) <= MATCH_TOLERANCE_MS;
}
