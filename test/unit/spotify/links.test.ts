import { describe, expect, it } from 'vitest';
import { isTrackUri, parseSpotifyRef } from '../../../src/spotify/links.ts';

const ID = '4uLU6hMCjMI75M1A2tKUQC';

describe('Spotify links', () => {
  it.each([
    [`spotify:track:${ID}`, 'track'],
    [`https://open.spotify.com/track/${ID}?si=abc123`, 'track'],
    [`https://open.spotify.com/intl-de/album/${ID}`, 'album'],
    [`https://open.spotify.com/playlist/${ID}`, 'playlist'],
    [`spotify:playlist:${ID}`, 'playlist'],
  ])('reads %s', (input, kind) => {
    expect(parseSpotifyRef(input)).toEqual({ kind, id: ID });
  });

  it.each([
    'https://example.com/track/4uLU6hMCjMI75M1A2tKUQC',
    'https://open.spotify.com/artist/4uLU6hMCjMI75M1A2tKUQC',
    'https://open.spotify.com/track/short',
    'spotify:track:short',
    'https://spotify.link/abc',
    'never gonna give you up',
  ])('ignores %s', (input) => {
    expect(parseSpotifyRef(input)).toBeNull();
  });

  it('knows a playable track URI', () => {
    expect(isTrackUri(`spotify:track:${ID}`)).toBe(true);
    expect(isTrackUri(`spotify:album:${ID}`)).toBe(false);
  });
});
