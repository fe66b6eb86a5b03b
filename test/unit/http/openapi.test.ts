import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import { OPERATIONS } from '../../../src/http/api-catalog.ts';
import { Metrics } from '../../../src/http/metrics.ts';
import { openApiDocument, undocumentedRoutes } from '../../../src/http/openapi.ts';
import type { Route } from '../../../src/http/router.ts';
import { blocklistRoutes } from '../../../src/http/routes/blocklist.ts';
import { healthRoutes } from '../../../src/http/routes/health.ts';
import { lyricsRoutes } from '../../../src/http/routes/lyrics.ts';
import { modeRoutes } from '../../../src/http/routes/mode.ts';
import { playbackRoutes } from '../../../src/http/routes/playback.ts';
import { playlistRoutes } from '../../../src/http/routes/playlists.ts';
import { providerRoutes } from '../../../src/http/routes/providers.ts';
import { queueRoutes } from '../../../src/http/routes/queue.ts';
import { radioRoutes } from '../../../src/http/routes/radio.ts';
import { settingsRoutes } from '../../../src/http/routes/settings.ts';
import { statusRoutes } from '../../../src/http/routes/status.ts';
import { twitchRoutes } from '../../../src/http/routes/twitch.ts';
import { overlayRoutes } from '../../../src/overlay/routes.ts';
import { spotifyRoutes } from '../../../src/spotify/routes.ts';

/** Every route the side-server can serve, Spotify's included (the route factories only keep their deps). */
function allRoutes(): Route[] {
  const deps = { actions: {} as never, hasCommunity: () => true };
  const metrics = new Metrics();
  metrics.close();
  return [
    ...healthRoutes([], metrics),
    ...queueRoutes(deps),
    ...playbackRoutes(deps),
    ...settingsRoutes(deps),
    ...blocklistRoutes(deps),
    ...twitchRoutes(deps),
    ...modeRoutes(deps),
    ...lyricsRoutes(deps),
    ...overlayRoutes({
      ...deps,
      keys: {} as never,
      hub: {} as never,
      artwork: {} as never,
      clock: new ManualClock(),
    }),
    ...providerRoutes({} as never),
    ...radioRoutes(deps),
    ...playlistRoutes(deps),
    ...spotifyRoutes({ spotify: {} as never, hasCommunity: () => true, logger: silentLogger() }),
    ...statusRoutes({
      version: '0.0.0',
      startedAt: 0,
      now: () => 0,
      status: async () => ({}),
      routes: () => [],
    }),
  ];
}

describe('OpenAPI document from the route table', () => {
  it('has an entry for every route, and no entry for a route that does not exist', () => {
    const routes = allRoutes();
    const served = new Set(routes.map((r) => `${r.method} ${r.path}`));
    expect(Object.keys(OPERATIONS).filter((k) => !served.has(k))).toEqual([]);
    // A new route needs its entry in src/http/api-catalog.ts (operationId, answer, failures).
    expect(undocumentedRoutes(routes)).toEqual([]);
  });

  it('is valid OpenAPI 3.1 with Spotify on, too', async () => {
    const doc = openApiDocument(allRoutes(), { version: '1.2.3' });
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('still lists a route that has no entry (any answer), and names it as undocumented', () => {
    const stray: Route = {
      method: 'GET',
      path: '/api/v1/stray/{community_id}',
      auth: true,
      handler: () => {},
    };
    expect(undocumentedRoutes([...allRoutes(), stray])).toEqual(['GET /api/v1/stray/{community_id}']);
    const doc = openApiDocument([stray], { version: '1' }) as {
      paths: Record<string, { get: { operationId: string } }>;
    };
    expect(doc.paths['/api/v1/stray/{community_id}']!.get.operationId).toBe('getApiV1StrayByCommunityId');
  });
});
