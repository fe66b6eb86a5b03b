import { z } from 'zod';
import type { Actions } from '../../actions/index.ts';
import { plainLine, safeText } from '../../core/text.ts';
import { headersSchema } from '../../net/headers.ts';
import type { RadioStatus } from '../../radio/service.ts';
import type { Station } from '../../storage/db/stations.ts';
import { sendData } from '../envelope.ts';
import type { Route } from '../router.ts';
import { apiCallOf } from '../wire.ts';

/** The seed's StationConfig on the wire (snake_case), as a client sends it. */
export const stationBody = z.strictObject({
  name: plainLine().trim().min(1).max(100),
  provider: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, 'must be a provider type such as icecast')
    .default('icecast'),
  stream_url: safeText().max(2048),
  api_endpoint: safeText().max(2048).nullable().default(null),
  api_key: safeText().min(1).max(1024).nullable().default(null),
  metadata_path: safeText().min(1).max(1024).nullable().default(null),
  bitrate: z.int().min(1).max(10_000).nullable().default(null),
  codec: safeText().min(1).max(20).nullable().default(null),
  custom_headers: headersSchema.default({}),
  is_enabled: z.boolean().default(true),
});

export const playBody = z.strictObject({ station: plainLine().trim().min(1).max(100) });

const MASK = '********';

/** A station on the wire; the API key and every custom header value are masked, always. */
export function wireStation(s: Station) {
  return {
    name: s.name,
    provider: s.provider,
    stream_url: s.streamUrl,
    api_endpoint: s.apiEndpoint,
    api_key: s.apiKey === null ? null : MASK,
    metadata_path: s.metadataPath,
    bitrate: s.bitrate,
    codec: s.codec,
    custom_headers: Object.fromEntries(Object.keys(s.customHeaders).map((k) => [k, MASK])),
    is_enabled: s.enabled,
  };
}

/** What a station plays, on the wire. */
function wireNowPlaying(status: RadioStatus | null) {
  return {
    station: status ? status.station.name : null,
    provider: status ? status.station.provider : null,
    state: status ? status.state : 'stopped',
    reason: status?.reason ?? null,
    in_voice: status?.inVoice ?? false,
    now_playing: status?.nowPlaying ?? null,
  };
}

/** /api/v1/radio/{community_id}/...: stations, play, stop and now-playing. */
export function radioRoutes(deps: {
  actions: Pick<Actions, 'radio'>;
  hasCommunity(guildId: string): boolean;
}): Route[] {
  const { radio } = deps.actions;
  const base = '/api/v1/radio/{community_id}';
  const call = apiCallOf(deps.hasCommunity);
  return [
    {
      method: 'GET',
      path: `${base}/stations`,
      auth: true,
      summary: "The community's stations (API keys and header values masked)",
      handler: async ({ res, params }) =>
        sendData(res, 200, { stations: (await radio.stations(call(params))).map(wireStation) }),
    },
    {
      method: 'POST',
      path: `${base}/stations`,
      auth: true,
      write: true,
      summary: 'Add a station, or replace the one of the same name (URLs pass the SSRF guard)',
      body: stationBody,
      handler: async ({ res, params, body }) => {
        const b = stationBody.parse(body);
        const saved = await radio.saveStation(call(params), {
          name: b.name,
          provider: b.provider,
          streamUrl: b.stream_url,
          apiEndpoint: b.api_endpoint,
          apiKey: b.api_key,
          metadataPath: b.metadata_path,
          bitrate: b.bitrate,
          codec: b.codec,
          customHeaders: b.custom_headers,
          enabled: b.is_enabled,
        });
        sendData(res, 201, wireStation(saved));
      },
    },
    {
      method: 'DELETE',
      path: `${base}/stations/{name}`,
      auth: true,
      write: true,
      summary: 'Delete a station (stops it first when it plays)',
      handler: async ({ res, params }) => {
        await radio.removeStation(call(params), { name: params.name! });
        sendData(res, 200, { deleted: params.name });
      },
    },
    {
      method: 'POST',
      path: `${base}/play`,
      auth: true,
      write: true,
      summary: 'Play a station (switches the mode to radio; in voice when the bot is in a channel)',
      body: playBody,
      handler: async ({ res, params, body }) => {
        const { station } = playBody.parse(body);
        sendData(res, 200, wireNowPlaying(await radio.play(call(params), { station })));
      },
    },
    {
      method: 'POST',
      path: `${base}/stop`,
      auth: true,
      write: true,
      summary: 'Stop the station (the mode becomes none)',
      handler: async ({ res, params }) => {
        const c = call(params);
        await radio.stop(c);
        sendData(res, 200, wireNowPlaying(await radio.status(c)));
      },
    },
    {
      method: 'GET',
      path: `${base}/now-playing`,
      auth: true,
      summary: 'The station and what it plays (null when nothing is known)',
      handler: async ({ res, params }) =>
        sendData(res, 200, wireNowPlaying(await radio.status(call(params)))),
    },
  ];
}
