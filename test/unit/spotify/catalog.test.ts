import { describe, expect, it } from 'vitest';
import { trackSchema } from '../../../src/core/track.ts';
import { fromApiTrack, toTrackInput } from '../../../src/spotify/catalog.ts';

const ID = '4uLU6hMCjMI75M1A2tKUQC';
const apiTrack = {
  id: ID,
  type: 'track',
  uri: `spotify:track:${ID}`,
  name: 'Never Gonna Give You Up',
  duration_ms: 213_573,
  artists: [{ name: 'Rick Astley' }, { name: 'Someone Else' }],
  album: {
    name: 'Whenever You Need Somebody',
    images: [
      { url: 'https://i.scdn.co/image/big', width: 1000 },
      { url: 'https://i.scdn.co/image/mid', width: 640 },
    ],
  },
  external_ids: { isrc: 'GBARL9300135' },
  external_urls: { spotify: `https://open.spotify.com/track/${ID}` },
};

describe('Spotify track metadata', () => {
  it('reads a full track', () => {
    expect(fromApiTrack(apiTrack)).toEqual({
      id: ID,
      uri: `spotify:track:${ID}`,
      title: 'Never Gonna Give You Up',
      artists: ['Rick Astley', 'Someone Else'],
      album: 'Whenever You Need Somebody',
      artworkUrl: 'https://i.scdn.co/image/mid',
      durationMs: 213_573,
      isrc: 'GBARL9300135',
      url: `https://open.spotify.com/track/${ID}`,
    });
  });

  it('skips local files, episodes and missing entries', () => {
    expect(fromApiTrack({ ...apiTrack, is_local: true })).toBeNull();
    expect(fromApiTrack({ ...apiTrack, type: 'episode' })).toBeNull();
    expect(fromApiTrack({ ...apiTrack, id: null })).toBeNull();
    expect(fromApiTrack(null)).toBeNull();
  });

  it('becomes a queue track that passes the queue schema', () => {
    const spotifyTrack = fromApiTrack({ ...apiTrack, name: 'x'.repeat(300) });
    const input = toTrackInput(spotifyTrack!);
    const parsed = trackSchema.parse(input);
    expect(parsed).toMatchObject({
      provider: 'spotify',
      uri: `spotify:track:${ID}`,
      artist: 'Rick Astley, Someone Else',
    });
    expect(parsed.title).toHaveLength(200);
    expect(parsed.metadata).toEqual({
      isrc: 'GBARL9300135',
      spotify_url: `https://open.spotify.com/track/${ID}`,
    });
  });
});
