import { z } from 'zod';
import { UserError } from '../../core/errors.ts';
import type { TrackInput } from '../../core/track.ts';
import { sendData } from '../envelope.ts';
import type { Route } from '../router.ts';

/** What the provider routes need of the provider registry. */
export interface ProviderCatalog {
  list(): { name: string; canSearch: boolean }[];
  health(): Record<string, { ok: boolean; detail?: unknown }>;
  /** @throws UserError NOT_FOUND, INVALID_INPUT, UPSTREAM_ERROR */
  search(name: string, query: string, limit: number): Promise<TrackInput[]>;
}

export const searchBody = z.strictObject({
  query: z.string().trim().min(1).max(200),
  limit: z.int().min(1).max(25).default(10),
});

/** A found track on the wire: the seed's MusicTrack fields. */
function wireFound(t: TrackInput) {
  return {
    track_id: t.id,
    name: t.title,
    artist: t.artist ?? null,
    album: t.album ?? null,
    album_art_url: t.artworkUrl ?? null,
    duration_ms: t.durationMs ?? null,
    provider: t.provider,
    uri: t.uri,
  };
}

/** /api/v1/providers: the music sources, their health, and search. */
export function providerRoutes(catalog: ProviderCatalog): Route[] {
  const describe = (name: string, canSearch: boolean) => {
    const health = catalog.health()[name] ?? { ok: false };
    return { name, can_search: canSearch, healthy: health.ok, detail: health.detail ?? null };
  };
  const find = (name: string) => {
    const p = catalog.list().find((x) => x.name === name);
    if (!p) throw new UserError('NOT_FOUND', `There is no provider called "${name}".`);
    return p;
  };
  return [
    {
      method: 'GET',
      path: '/api/v1/providers',
      auth: true,
      summary: 'The music providers, in the order links are matched, with their health',
      handler: ({ res }) =>
        sendData(res, 200, { providers: catalog.list().map((p) => describe(p.name, p.canSearch)) }),
    },
    {
      method: 'GET',
      path: '/api/v1/providers/{provider}/status',
      auth: true,
      summary: "One provider's health",
      handler: ({ res, params }) => {
        const p = find(params.provider!);
        sendData(res, 200, describe(p.name, p.canSearch));
      },
    },
    {
      method: 'POST',
      path: '/api/v1/providers/{provider}/search',
      auth: true,
      write: true,
      summary: 'Search one provider',
      body: searchBody,
      handler: async ({ res, params, body }) => {
        const p = find(params.provider!);
        const { query, limit } = searchBody.parse(body);
        const tracks = await catalog.search(p.name, query, limit);
        sendData(res, 200, { provider: p.name, query, tracks: tracks.slice(0, limit).map(wireFound) });
      },
    },
  ];
}
