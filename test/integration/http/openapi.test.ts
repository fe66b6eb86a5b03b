import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../../support/tracks.ts';
import { SideServer } from './side-server.ts';

const G = snowflake(4242);
const ALICE = snowflake(7);
const BOB = snowflake(8);

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document read by path
type Doc = any;

/**
 * The OpenAPI document of the running side-server is valid OpenAPI 3.1 (checked by a maintained
 * validator), names every operation, and real answers match the response schemas it gives.
 */
describe('OpenAPI document', () => {
  let side: SideServer;
  let doc: Doc;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const checked: string[] = [];

  beforeAll(async () => {
    side = await SideServer.start('openapi');
    const res = await side.call('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    doc = res.json;
  }, 60_000);
  afterAll(() => side?.stop());

  /** Calls the side-server and checks the answer against the document's schema for its status. */
  const call = async (method: string, template: string, path: string, body?: unknown) => {
    const res = await side.call(method, path, body);
    const operation = doc.paths[template]?.[method.toLowerCase()];
    expect(operation, `${method} ${template} is in the document`).toBeDefined();
    const response = operation.responses[String(res.status)];
    expect(
      response,
      `${method} ${template} documents ${res.status}: ${JSON.stringify(res.json)}`,
    ).toBeDefined();
    const schema = response.content?.['application/json']?.schema;
    if (schema && res.status !== 204) {
      const resolved = schema.$ref ? doc.components.schemas.Error : schema;
      const validate = ajv.compile(resolved);
      const ok = validate(res.json);
      expect(
        ok,
        `${method} ${path} ${res.status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(res.json)}`,
      ).toBe(true);
    }
    checked.push(`${method} ${template} ${res.status}`);
    return res;
  };

  it('is valid OpenAPI 3.1 by @seriousme/openapi-schema-validator', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('gives each operation a unique operationId, a success schema, its errors, ?limit, ?key and the socket', () => {
    const ids: string[] = [];
    for (const [path, item] of Object.entries<Doc>(doc.paths)) {
      for (const [method, op] of Object.entries<Doc>(item)) {
        ids.push(op.operationId);
        const statuses = Object.keys(op.responses);
        expect(
          statuses.some((s) => /^[12]\d\d$/.test(s)),
          `${method} ${path}`,
        ).toBe(true);
        if (op.security?.length) expect(statuses).toEqual(expect.arrayContaining(['401', '429', '503']));
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(42);
    const history = doc.paths['/api/v1/queue/{community_id}/history'].get;
    expect(history.parameters).toContainEqual(
      expect.objectContaining({ name: 'limit', in: 'query', required: false }),
    );
    expect(doc.paths['/overlay/{community_id}'].get.parameters).toContainEqual(
      expect.objectContaining({ name: 'key', in: 'query', required: true }),
    );
    const socket = doc.paths['/ws/music/{community_id}'].get;
    expect(Object.keys(socket.responses)).toEqual(['101', '401', '404']);
    const add = doc.paths['/api/v1/queue/{community_id}/add'].post;
    expect(Object.keys(add.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '404', '409', '413', '415', '429', '502', '503']),
    );
    expect(add.responses['201'].content['application/json'].schema.properties.data.properties).toHaveProperty(
      'queue_item',
    );
  });

  it('describes real answers of the queue, playback, settings and mode routes', async () => {
    const q = `/api/v1/queue/${G}`;
    await call('GET', '/api/v1/queue/{community_id}', q);
    const first = await call('POST', '/api/v1/queue/{community_id}/add', `${q}/add`, {
      track_url: side.song('First'),
      requested_by_user_id: ALICE,
    });
    expect(first.status).toBe(201);
    const second = await call('POST', '/api/v1/queue/{community_id}/add', `${q}/add`, {
      track_url: side.song('Second'),
      requested_by_user_id: BOB,
    });
    const id = second.json.data.queue_item.id;
    const vote = '/api/v1/queue/{community_id}/vote/{queue_item_id}';
    expect((await call('POST', vote, `${q}/vote/${id}`, { user_id: ALICE, direction: 'up' })).status).toBe(
      200,
    );
    expect((await call('POST', vote, `${q}/vote/${id}`, { user_id: ALICE, direction: 'up' })).status).toBe(
      409,
    );
    await call('DELETE', vote, `${q}/vote/${id}`, { user_id: ALICE });
    await call('GET', '/api/v1/queue/{community_id}', q);
    await call('GET', '/api/v1/queue/{community_id}/history', `${q}/history?limit=5`);
    await call('GET', '/api/v1/queue/{community_id}/history', `${q}/history?limit=0`);
    await call('GET', '/api/v1/queue/{community_id}/stats', `${q}/stats`);
    await call('DELETE', '/api/v1/queue/{community_id}/{queue_item_id}', `${q}/${id}`);
    await call('POST', '/api/v1/queue/{community_id}/skip', `${q}/skip`);
    await call('POST', '/api/v1/queue/{community_id}/clear', `${q}/clear`);

    const p = `/api/v1/playback/${G}`;
    await call('GET', '/api/v1/playback/{community_id}/state', `${p}/state`);
    await call('GET', '/api/v1/playback/{community_id}/now-playing', `${p}/now-playing`);
    await call('POST', '/api/v1/playback/{community_id}/play', `${p}/play`);
    await call('POST', '/api/v1/playback/{community_id}/volume', `${p}/volume`, { volume: 150 });
    await call('GET', '/api/v1/playback/{community_id}/filter', `${p}/filter`);
    await call('PUT', '/api/v1/playback/{community_id}/filter', `${p}/filter`, { preset: 'nightcore' });
    await call('PUT', '/api/v1/playback/{community_id}/eq', `${p}/eq`, { bass: 20 });

    await call('GET', '/api/v1/settings/{community_id}', `/api/v1/settings/${G}`);
    await call('PATCH', '/api/v1/settings/{community_id}', `/api/v1/settings/${G}`, { default_volume: 40 });
    await call('GET', '/api/v1/mode/{community_id}', `/api/v1/mode/${G}`);
    await call('POST', '/api/v1/mode/{community_id}', `/api/v1/mode/${G}`, { mode: 'none' });
  });

  it('describes real answers of the radio, overlay, provider, Spotify and service routes', async () => {
    const r = `/api/v1/radio/${G}`;
    const saved = await call('POST', '/api/v1/radio/{community_id}/stations', `${r}/stations`, {
      name: 'Tone FM',
      stream_url: side.song('Tone FM'),
      api_key: 'secret',
      custom_headers: { 'x-station': 'a' },
    });
    expect(saved.status).toBe(201);
    await call('GET', '/api/v1/radio/{community_id}/stations', `${r}/stations`);
    await call('GET', '/api/v1/radio/{community_id}/now-playing', `${r}/now-playing`);
    await call('POST', '/api/v1/radio/{community_id}/play', `${r}/play`, { station: 'No Such FM' });
    await call('POST', '/api/v1/radio/{community_id}/stop', `${r}/stop`);
    await call('DELETE', '/api/v1/radio/{community_id}/stations/{name}', `${r}/stations/Tone%20FM`);

    await call('POST', '/api/v1/overlay/{community_id}/key', `/api/v1/overlay/${G}/key`);
    await call('POST', '/api/v1/internal/now-playing', '/api/v1/internal/now-playing', {
      community_id: G,
      track: { name: 'Song', provider: 'youtube' },
    });
    await call('POST', '/api/v1/internal/mode-change', '/api/v1/internal/mode-change', {
      community_id: G,
      new_mode: 'radio',
    });
    await call('POST', '/api/v1/internal/radio-update', '/api/v1/internal/radio-update', {
      community_id: G,
      station: 'Tone FM',
    });

    side.lrclib.add({
      track: 'Moonlight Drive',
      artist: 'The Tides',
      duration: 200,
      synced: '[00:01.00]Hello',
    });
    const lyrics = await call(
      'GET',
      '/api/v1/lyrics/{community_id}',
      `/api/v1/lyrics/${G}?q=moonlight+tides`,
    );
    expect(lyrics.json.data.synced_lyrics).toEqual([{ time_ms: 1000, text: 'Hello' }]);
    await call('GET', '/api/v1/lyrics/{community_id}', `/api/v1/lyrics/${G}?q=nothing+like+it`);
    await call('GET', '/overlay/{community_id}/lyrics', `/overlay/${G}/lyrics?key=wrong`);

    await call('GET', '/api/v1/providers', '/api/v1/providers');
    await call('GET', '/api/v1/providers/{provider}/status', '/api/v1/providers/http/status');
    await call('GET', '/api/v1/providers/{provider}/status', '/api/v1/providers/nope/status');
    await call('POST', '/api/v1/providers/{provider}/search', '/api/v1/providers/http/search', {
      query: 'x',
    });
    await call('GET', '/api/v1/spotify/{community_id}', `/api/v1/spotify/${G}`);
    // Twitch is off here (no TWITCH_USERNAME): 503 with the reason, as documented.
    const twitch = await call('GET', '/api/v1/twitch/{community_id}', `/api/v1/twitch/${G}`);
    expect(twitch.status).toBe(503);
    await call('PUT', '/api/v1/twitch/{community_id}', `/api/v1/twitch/${G}`, { channel: 'x y' });
    await call('GET', '/api/v1/status', '/api/v1/status');
    await call('GET', '/health', '/health');
    await call('GET', '/healthz', '/healthz');
    await call('GET', '/api/v1/queue/{community_id}', '/api/v1/queue/123');
  });

  it('describes real answers of the playlist routes', async () => {
    const q = `/api/v1/queue/${G}`;
    const pl = `/api/v1/playlists/${G}`;
    const T = '/api/v1/playlists/{community_id}';
    await call('POST', '/api/v1/queue/{community_id}/add', `${q}/add`, {
      track_url: side.song('Saved'),
      requested_by_user_id: ALICE,
    });
    expect((await call('POST', T, pl, { name: 'Kept', user_id: ALICE })).status).toBe(201);
    expect((await call('POST', T, pl, { name: 'kept' })).status).toBe(409);
    await call('GET', T, `${pl}?user_id=${ALICE}`);
    expect((await call('GET', `${T}/{name}`, `${pl}/Kept`)).status).toBe(200);
    expect((await call('GET', `${T}/{name}`, `${pl}/Nope`)).status).toBe(404);
    expect(
      (await call('POST', `${T}/{name}/load`, `${pl}/Kept/load`, { requested_by_user_id: BOB })).status,
    ).toBe(200);
    expect((await call('POST', `${T}/import`, `${pl}/import`, { link: 'no link', name: 'x' })).status).toBe(
      400,
    );
    expect((await call('DELETE', `${T}/{name}`, `${pl}/Kept`)).status).toBe(200);
    await call('POST', '/api/v1/queue/{community_id}/clear', `${q}/clear`);
  });

  it('checked answers of most operations, successes and failures', () => {
    const operations = new Set(checked.map((c) => c.split(' ').slice(0, 2).join(' ')));
    expect(operations.size).toBeGreaterThanOrEqual(30);
    expect(checked.some((c) => / 4\d\d$/.test(c))).toBe(true);
  });
});
