import type { FakeCatalog, FakeCollection, FakeTrack } from './catalog.ts';
import type { FakeDevice } from './device.ts';
import type { Answer, FakeSpotify } from './index.ts';

const NO_CONTENT: Answer = { status: 204 };

/** Spotify's Web API error body. */
export function apiError(status: number, message: string, reason?: string): Answer {
  return { status, json: { error: { status, message, ...(reason && { reason }) } } };
}

/**
 * The Web API routes under /v1 that the bot uses, after the bearer token was checked: the account,
 * the player and its devices, tracks, albums, playlists (`/items`, and the older `/tracks`) and search.
 */
export function webApi(
  fake: FakeSpotify,
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
): Answer {
  const route = `${method} ${path}`;
  if (route === 'GET /v1/me') {
    return {
      status: 200,
      json: {
        id: fake.user.id,
        display_name: fake.user.displayName,
        type: 'user',
        uri: `spotify:user:${fake.user.id}`,
      },
    };
  }
  if (route === 'GET /v1/me/player/devices')
    return { status: 200, json: { devices: fake.devices.map(wireDevice) } };
  if (route === 'GET /v1/me/player') return playerState(fake);
  if (path.startsWith('/v1/me/player/')) return playerCommand(fake, route, query, body);
  const [, , kind, id, sub] = path.split('/');
  if (method !== 'GET' || !kind) return apiError(404, 'Service not found');
  if (kind === 'search') return search(fake.catalog, query);
  if (!id || !/^[A-Za-z0-9]{22}$/.test(id)) return apiError(400, 'Invalid base62 id');
  if (kind === 'tracks' && !sub) {
    const t = fake.catalog.tracks.get(id);
    return t ? { status: 200, json: fake.catalog.full(t) } : apiError(404, 'Resource not found');
  }
  if (kind === 'albums') {
    const album = fake.catalog.albums.get(id);
    if (!album) return apiError(404, 'Resource not found');
    const tracks = album.trackIds.map((t) => (t ? fake.catalog.tracks.get(t) : undefined)).filter(isTrack);
    const simplified = tracks.map((t) => fake.catalog.simplified(t));
    if (!sub) {
      const first = paging(simplified, 0, 50, path);
      return { status: 200, json: { id, name: album.name, images: albumImages(id), tracks: first } };
    }
    if (sub === 'tracks') return { status: 200, json: page(simplified, query, path) };
  }
  if (kind === 'playlists' && (sub === 'items' || sub === 'tracks')) {
    const playlist = fake.catalog.playlists.get(id);
    if (!playlist) return apiError(404, 'Resource not found');
    return { status: 200, json: page(playlistEntries(fake.catalog, playlist, sub), query, path) };
  }
  return apiError(404, 'Service not found');
}

function playerState(fake: FakeSpotify): Answer {
  const device = fake.devices.find((d) => d.isActive);
  if (!device) return NO_CONTENT;
  const track = device.track;
  return {
    status: 200,
    json: {
      device: wireDevice(device),
      is_playing: device.isPlaying,
      progress_ms: track ? device.progressMs : null,
      item: track ? fake.catalog.full(track) : null,
      currently_playing_type: track ? 'track' : 'unknown',
      shuffle_state: false,
      repeat_state: 'off',
      timestamp: fake.clock.now(),
    },
  };
}

function playerCommand(fake: FakeSpotify, route: string, query: URLSearchParams, body: unknown): Answer {
  const wanted = query.get('device_id');
  const device = wanted ? fake.devices.find((d) => d.id === wanted) : fake.devices.find((d) => d.isActive);
  if (wanted && !device) return apiError(404, 'Device not found');
  if (!device) return apiError(404, 'Player command failed: No active device found', 'NO_ACTIVE_DEVICE');
  for (const d of fake.devices) d.isActive = d === device;
  if (route === 'PUT /v1/me/player/play') {
    const { uris, position_ms } = (body ?? {}) as { uris?: unknown; position_ms?: unknown };
    if (uris === undefined) {
      if (!device.track) return apiError(404, 'Player command failed: Nothing to resume', 'NO_ACTIVE_DEVICE');
      device.resume();
      return NO_CONTENT;
    }
    if (!Array.isArray(uris) || uris.length === 0) return apiError(400, 'Invalid uris');
    const tracks: FakeTrack[] = [];
    for (const uri of uris) {
      const t =
        typeof uri === 'string' ? fake.catalog.tracks.get(uri.replace(/^spotify:track:/, '')) : undefined;
      if (!t || !String(uri).startsWith('spotify:track:'))
        return apiError(400, `Invalid track uri: ${String(uri)}`);
      tracks.push(t);
    }
    device.play(tracks, typeof position_ms === 'number' ? position_ms : 0);
    return NO_CONTENT;
  }
  if (route === 'PUT /v1/me/player/pause') {
    device.pause();
    return NO_CONTENT;
  }
  if (route === 'POST /v1/me/player/next') {
    device.next();
    return NO_CONTENT;
  }
  return apiError(404, 'Service not found');
}

function search(catalog: FakeCatalog, query: URLSearchParams): Answer {
  const q = query.get('q') ?? '';
  if (!q) return apiError(400, 'No search query');
  if (query.get('type') !== 'track') return apiError(400, 'Bad search type field');
  // Apps in development mode may ask for 10 results at most (February 2026).
  const limit = Number(query.get('limit') ?? 5);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10) return apiError(400, 'Invalid limit');
  const found = catalog.search(q).map((t) => catalog.full(t));
  return { status: 200, json: { tracks: page(found, query, '/v1/search', 5) } };
}

function playlistEntries(catalog: FakeCatalog, playlist: FakeCollection, sub: string) {
  return playlist.trackIds.map((id) => {
    const t = id ? catalog.tracks.get(id) : undefined;
    const track = t
      ? catalog.full(t)
      : { id: null, type: 'track', name: 'local file', is_local: true, uri: 'spotify:local:x' };
    // Since 2026 /items carries `item`; the older /tracks carried `track`.
    return {
      added_at: '2026-01-01T00:00:00Z',
      is_local: !t,
      ...(sub === 'items' ? { item: track } : { track }),
    };
  });
}

function page<T>(all: T[], query: URLSearchParams, path: string, defaultLimit = 20) {
  const limit = Math.min(Number(query.get('limit') ?? defaultLimit), 50);
  const offset = Number(query.get('offset') ?? 0);
  return paging(all, offset, limit, path);
}

function paging<T>(all: T[], offset: number, limit: number, path: string) {
  const items = all.slice(offset, offset + limit);
  const more = offset + limit < all.length;
  return {
    items,
    total: all.length,
    limit,
    offset,
    next: more ? `https://api.spotify.test${path}?offset=${offset + limit}&limit=${limit}` : null,
  };
}

function wireDevice(d: FakeDevice) {
  return {
    id: d.id,
    name: d.name,
    type: d.type,
    is_active: d.isActive,
    is_restricted: false,
    volume_percent: 80,
  };
}

function albumImages(id: string) {
  return [{ url: `https://i.scdn.test/album/${id}/640`, width: 640, height: 640 }];
}

function isTrack(t: FakeTrack | undefined): t is FakeTrack {
  return t !== undefined;
}
