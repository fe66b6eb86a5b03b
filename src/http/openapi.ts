import { z } from 'zod';
import type { Route } from './router.ts';

const PARAMS: Record<string, { description: string; pattern?: string }> = {
  community_id: { description: 'The guild id: a Discord snowflake of 17-20 digits', pattern: '^\\d{17,20}$' },
  queue_item_id: { description: 'A queue item id (UUID)' },
  provider: { description: 'A provider name, as GET /api/v1/providers lists them' },
  name: { description: 'A station name, URL-encoded' },
};

const envelopeOk = {
  type: 'object',
  required: ['success', 'data', 'timestamp'],
  properties: {
    success: { const: true },
    data: {},
    timestamp: { type: 'string', format: 'date-time' },
  },
};
const envelopeError = {
  type: 'object',
  required: ['success', 'error', 'timestamp'],
  properties: {
    success: { const: false },
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
    },
    timestamp: { type: 'string', format: 'date-time' },
  },
};

/**
 * The OpenAPI 3.1 document of the routes the side-server serves, generated from the route table: paths
 * and parameters from the patterns, request bodies from the same zod schemas the server validates with.
 */
export function openApiDocument(routes: Route[], info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const operation: Record<string, unknown> = {
      summary: route.summary ?? `${route.method} ${route.path}`,
      tags: [tagOf(route.path)],
      parameters: names.map((name) => ({
        name,
        in: 'path',
        required: true,
        description: PARAMS[name]?.description ?? name,
        schema: { type: 'string', ...(PARAMS[name]?.pattern ? { pattern: PARAMS[name].pattern } : {}) },
      })),
      security: route.auth ? [{ bearer: [] }] : [],
      responses: {
        '2XX': { description: 'Success, in the envelope', content: json(envelopeOk) },
        '4XX': { description: 'Bad input or state, in the envelope', content: json(envelopeError) },
      },
    };
    if (route.body) {
      operation.requestBody = {
        required: true,
        content: json(z.toJSONSchema(route.body, { io: 'input', unrepresentable: 'any' })),
      };
    }
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Unified Music API',
      version: info.version,
      description:
        'The REST API of the Unified Music side-server. Every response uses the envelope ' +
        '{success, data | error, timestamp}; /api/v1 routes need "Authorization: Bearer <API_TOKEN>".',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

function json(schema: unknown) {
  return { 'application/json': { schema } };
}

function tagOf(path: string): string {
  const m = /^\/api\/v1\/([a-z-]+)/.exec(path);
  return m ? m[1]! : path.startsWith('/overlay') || path.startsWith('/ws') ? 'overlay' : 'service';
}
