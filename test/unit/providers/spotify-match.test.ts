import { describe, expect, it } from 'vitest';
import type { TrackInput } from '../../../src/core/track.ts';
import { MATCH_TOLERANCE_MS, matchOnYouTube } from '../../../src/providers/spotify-match.ts';
import { track } from '../../support/tracks.ts';

const video = (id: string, seconds: number | null, title = `Video ${id}`): TrackInput =>
  track({
    id,
    title,
    provider: 'youtube',
    uri: `https://www.youtube.com/watch?v=${id}`,
    durationMs: seconds === null ? null : seconds * 1000,
  });

/** A YouTube search that answers from a table and records the queries, in order. */
function searchOf(results: Record<string, TrackInput[]>) {
  const queries: string[] = [];
  const search = async (q: string) => {
    queries.push(q);
    return results[q] ?? [];
  };
  return { search, queries };
}

const wanted = {
  title: 'Morning Tone',
  artists: ['Tone Artist', 'Guest'],
  durationMs: 200_000,
  isrc: 'QZTEST000001',
};

describe('matching a Spotify track on YouTube', () => {
  it('takes an ISRC hit of the same length without a second search', async () => {
    const { search, queries } = searchOf({ QZTEST000001: [video('isrcVideo01', 201)] });
    expect(await matchOnYouTube(wanted, search)).toEqual({
      videoId: 'isrcVideo01',
      title: 'Video isrcVideo01',
      durationMs: 201_000,
      by: 'isrc',
    });
    expect(queries).toEqual(['QZTEST000001']);
  });

  it('falls back to "first artist title" when the ISRC finds nothing of the right length', async () => {
    const { search, queries } = searchOf({
      QZTEST000001: [video('tooLong0001', 260)],
      'Tone Artist Morning Tone': [video('musicVid001', 231), video('topicAudio1', 198)],
    });
    const match = await matchOnYouTube(wanted, search);
    expect(match).toMatchObject({ videoId: 'topicAudio1', by: 'search' });
    expect(queries).toEqual(['QZTEST000001', 'Tone Artist Morning Tone']);
  });

  it(`accepts ${MATCH_TOLERANCE_MS / 1000} s either way and no more`, async () => {
    const edge = MATCH_TOLERANCE_MS / 1000;
    const { search } = searchOf({
      'Tone Artist Morning Tone': [
        video('justOver001', 200 + edge + 1),
        video('liveStream1', null),
        video('atTheEdge01', 200 - edge),
      ],
    });
    expect(await matchOnYouTube({ ...wanted, isrc: null }, search)).toMatchObject({ videoId: 'atTheEdge01' });
  });

  it('gives null when no candidate has the length, so nothing wrong is queued', async () => {
    const { search } = searchOf({ 'Tone Artist Morning Tone': [video('other000001', 120)] });
    expect(await matchOnYouTube({ ...wanted, isrc: null }, search)).toBeNull();
  });

  it('takes the first result when the track has no known length', async () => {
    const { search } = searchOf({ 'Tone Artist Morning Tone': [video('first000001', 999)] });
    expect(await matchOnYouTube({ ...wanted, isrc: null, durationMs: null }, search)).toMatchObject({
      videoId: 'first000001',
    });
  });
});
