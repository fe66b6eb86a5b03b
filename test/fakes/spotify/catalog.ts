/** A track the fake knows, in the Web API's shape (the fields the bot reads, and a few more). */
export interface FakeTrack {
  id: string;
  name: string;
  artists: string[];
  album: string;
  durationMs: number;
  isrc: string;
}

export interface FakeCollection {
  id: string;
  name: string;
  /** Track ids in order; null stands for a local file (which the API lists without an id). */
  trackIds: (string | null)[];
}

/** A Spotify-looking base62 id of 22 characters, made from a short name: `spotifyId('one')`. */
export function spotifyId(seed: string): string {
  const clean = seed.replace(/[^A-Za-z0-9]/g, '');
  return `${clean}${'0'.repeat(22)}`.slice(0, 22);
}

/** Tracks, albums and playlists, rendered as the Web API renders them. */
export class FakeCatalog {
  readonly tracks = new Map<string, FakeTrack>();
  readonly albums = new Map<string, FakeCollection>();
  readonly playlists = new Map<string, FakeCollection>();

  addTrack(input: Partial<FakeTrack> & { id: string }): FakeTrack {
    const track: FakeTrack = {
      name: `Song ${input.id.slice(0, 6)}`,
      artists: ['Test Artist'],
      album: 'Test Album',
      durationMs: 180_000,
      isrc: `QZTEST${String(this.tracks.size).padStart(6, '0')}`,
      ...input,
    };
    this.tracks.set(track.id, track);
    return track;
  }

  addAlbum(album: FakeCollection): void {
    this.albums.set(album.id, album);
  }

  addPlaylist(playlist: FakeCollection): void {
    this.playlists.set(playlist.id, playlist);
  }

  /** The full track object of GET /tracks/{id}. */
  full(t: FakeTrack) {
    return {
      ...this.simplified(t),
      album: {
        id: spotifyId(`album${t.album}`),
        name: t.album,
        images: [
          { url: `https://i.scdn.test/${t.id}/640`, width: 640, height: 640 },
          { url: `https://i.scdn.test/${t.id}/300`, width: 300, height: 300 },
        ],
      },
      external_ids: { isrc: t.isrc },
      popularity: 50,
    };
  }

  /** The simplified track object of album listings (no album, no external ids). */
  simplified(t: FakeTrack) {
    return {
      id: t.id,
      type: 'track',
      uri: `spotify:track:${t.id}`,
      name: t.name,
      duration_ms: t.durationMs,
      is_local: false,
      artists: t.artists.map((name) => ({ name, type: 'artist', id: spotifyId(`artist${name}`) })),
      external_urls: { spotify: `https://open.spotify.com/track/${t.id}` },
    };
  }

  /** Tracks whose name or artists contain every word of the query (any case). */
  search(q: string): FakeTrack[] {
    const words = q.toLowerCase().split(/\s+/).filter(Boolean);
    return [...this.tracks.values()].filter((t) => {
      const text = `${t.name} ${t.artists.join(' ')}`.toLowerCase();
      return words.every((w) => text.includes(w));
    });
  }
}
