import { type ZodType, z } from 'zod';
import { OPERATIONS, type OperationDoc } from './api-catalog.ts';
import { overlayFrame, socketQuery } from './api-schemas.ts';
import type { Route } from './router.ts';

const PARAMS: Record<string, { description: string; pattern?: string }> = {
  community_id: { description: 'The guild id: a Discord snowflake of 17-20 digits', pattern: '^\\d{17,20}$' },
  queue_item_id: { description: 'A queue item id (UUID)' },
  provider: { description: 'A provider name, as GET /api/v1/providers lists them' },
  name: { description: 'A station name, URL-encoded' },
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad input: a path, query or body that does not fit (INVALID_INPUT, INVALID_JSON, INVALID_URL)',
  401: 'No valid bearer token (UNAUTHORIZED)',
  403: 'Refused: a link to a private or local address (FORBIDDEN_ADDRESS), or not allowed (FORBIDDEN, REQUESTS_RESTRICTED)',
  404: 'Not found: the bot is not in this community, or no such item, station or provider',
  409: 'The state does not allow it (ALREADY_VOTED, QUEUE_FULL, NOT_CONNECTED, ...)',
  413: 'The body is over 1 MiB, or a CSV import over its caps (PAYLOAD_TOO_LARGE)',
  415: 'The body is not JSON, or not the media type the route takes (UNSUPPORTED_MEDIA_TYPE)',
  422: 'A request rule refuses the track (TRACK_TOO_LONG, LIVE_NOT_ALLOWED, SOURCE_NOT_ALLOWED, BLOCKED)',
  429: 'Too many writes, too many wrong tokens from this address (RATE_LIMITED), or the requester is in a cooldown (REQUEST_COOLDOWN); see Retry-After',
  502: 'A provider or Spotify failed or refused (UPSTREAM_ERROR)',
  503: 'Unavailable: the API is off (no API_TOKEN), a part is not set up, or the instance is not ready',
};

/**
 * The OpenAPI 3.1 document of the routes the side-server serves, generated from the route table and
 * the operation catalog: paths and parameters from the patterns, request bodies and query strings from
 * the same zod schemas the server validates with, answers from the response schemas. A route missing
 * from the catalog is still listed, with an answer of any shape (test/unit/http/openapi.test.ts fails).
 */
export function openApiDocument(routes: Route[], info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const doc = OPERATIONS[`${route.method} ${route.path}`] ?? undocumented(route);
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route, doc);
  }
  paths['/ws/music/{community_id}'] = { get: socketOperation() };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Unified Music API',
      version: info.version,
      description:
        'The REST API of the Unified Music side-server. Every JSON answer uses the envelope ' +
        '{success, data | error, timestamp}; /api/v1 routes need "Authorization: Bearer <API_TOKEN>". ' +
        'HEAD is answered on every GET route. An unexpected failure is a 500 INTERNAL with a reference.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: ERROR_ENVELOPE },
    },
    paths,
  };
}

/** The routes that have no entry in the operation catalog. */
export function undocumentedRoutes(routes: Route[]): string[] {
  return routes.map((r) => `${r.method} ${r.path}`).filter((key) => !OPERATIONS[key]);
}

function undocumented(route: Route): OperationDoc {
  const words = route.path
    .replace(/\{(\w+)\}/g, 'by-$1')
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean);
  const operationId = [
    route.method.toLowerCase(),
    ...words.map((w) => w[0]!.toUpperCase() + w.slice(1)),
  ].join('');
  return { operationId, status: 200, data: z.unknown(), errors: [] };
}

function operation(route: Route, doc: OperationDoc): Record<string, unknown> {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  // Any request can carry a bad path or query (a bad %-escape, NUL): 400. A parameter that does not
  // fit the pattern (an empty segment) matches no route, and a guild may be unknown: 404.
  const errors = new Set([400, ...(doc.errors ?? [])]);
  if (names.length > 0) errors.add(404);
  if (route.body || route.textBody) for (const s of [400, 413, 415]) errors.add(s);
  if (doc.query) errors.add(400);
  if (route.auth) for (const s of [401, 429, 503]) errors.add(s);
  if (route.write || (route.auth && route.method !== 'GET')) errors.add(429);
  const responses: Record<string, unknown> = { [doc.status]: success(doc) };
  if (doc.noContent) responses['204'] = { description: 'Nothing to show' };
  for (const status of [...errors].sort()) {
    responses[status] = {
      description: STATUS_TEXT[status] ?? 'Error',
      content: json({ $ref: '#/components/schemas/Error' }),
    };
  }
  const out: Record<string, unknown> = {
    operationId: doc.operationId,
    summary: route.summary ?? `${route.method} ${route.path}`,
    tags: [tagOf(route.path)],
    parameters: [...names.map(pathParameter), ...queryParameters(doc.query)],
    security: route.auth ? [{ bearer: [] }] : [],
    responses,
  };
  if (route.body) {
    out.requestBody = {
      // A missing body counts as {}: required only when {} would not do.
      required: !route.body.safeParse({}).success,
      content: json(schemaOf(route.body, 'input')),
    };
  }
  if (route.textBody) {
    out.requestBody = { required: true, content: { [route.textBody]: { schema: { type: 'string' } } } };
  }
  return out;
}

function success(doc: OperationDoc): Record<string, unknown> {
  const description = 'Success';
  if (doc.data === null) return { description };
  if (doc.data === 'html') return { description, content: { 'text/html': { schema: { type: 'string' } } } };
  if (doc.data === 'image') {
    const binary = { schema: { type: 'string', contentMediaType: 'application/octet-stream' } };
    return {
      description,
      content: Object.fromEntries(
        ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif'].map((t) => [t, binary]),
      ),
    };
  }
  if (doc.data === 'text') {
    return { description, content: { 'text/plain': { schema: { type: 'string' } } } };
  }
  if (doc.data === 'document') return { description, content: json({ type: 'object' }) };
  return {
    description,
    content: json({
      type: 'object',
      required: ['success', 'data', 'timestamp'],
      properties: {
        success: { const: true },
        data: schemaOf(doc.data, 'output'),
        timestamp: { type: 'string', format: 'date-time' },
      },
    }),
  };
}

const ERROR_ENVELOPE = {
  type: 'object',
  required: ['success', 'error', 'timestamp'],
  properties: {
    success: { const: false },
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: { type: ['object', 'null'] },
      },
    },
    timestamp: { type: 'string', format: 'date-time' },
  },
};

function pathParameter(name: string) {
  const p = PARAMS[name];
  return {
    name,
    in: 'path',
    required: true,
    description: p?.description ?? name,
    schema: { type: 'string', ...(p?.pattern ? { pattern: p.pattern } : {}) },
  };
}

function queryParameters(query: ZodType | undefined) {
  if (!query) return [];
  const schema = schemaOf(query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
}

function socketOperation(): Record<string, unknown> {
  return {
    operationId: 'overlaySocket',
    summary: "The overlay's live events over a WebSocket (the OBS page connects here)",
    description:
      'A WebSocket (send "Upgrade: websocket"). After the handshake the server sends JSON frames, a ' +
      '`snapshot` first, then `now_playing`, `mode_change`, `radio_update` and `queue_update` as they ' +
      'happen (x-websocket-frames; docs/OVERLAY.md). The client sends nothing. A wrong key is refused ' +
      'with 401 and an unknown guild with 404 before the handshake.',
    tags: ['overlay'],
    parameters: [
      pathParameter('community_id'),
      ...queryParameters(socketQuery),
      { name: 'Upgrade', in: 'header', required: true, schema: { const: 'websocket' } },
    ],
    security: [],
    responses: {
      '101': { description: 'Switching to the WebSocket protocol' },
      '401': { description: 'The key is missing or wrong' },
      '404': { description: 'The bot is not in this community' },
    },
    'x-websocket-frames': schemaOf(overlayFrame, 'output'),
  };
}

function schemaOf(schema: ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function json(schema: unknown) {
  return { 'application/json': { schema } };
}

function tagOf(path: string): string {
  const m = /^\/api\/v1\/([a-z-]+)/.exec(path);
  return m ? m[1]! : path.startsWith('/overlay') || path.startsWith('/ws') ? 'overlay' : 'service';
}
