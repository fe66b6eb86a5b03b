import { sendData } from '../envelope.ts';
import { openApiDocument } from '../openapi.ts';
import type { Route } from '../router.ts';

export interface StatusDeps {
  version: string;
  startedAt: number;
  now(): number;
  /** api-only or bot; the Discord gateway and what the queue runs on. */
  status(): Promise<Record<string, unknown>>;
  /** Every route the server serves, for the OpenAPI document. */
  routes(): Route[];
}

/** GET /api/v1/status (the service at a glance) and GET /api/v1/openapi.json. */
export function statusRoutes(deps: StatusDeps): Route[] {
  // The route table is complete once the server listens: the document is made once, at first ask.
  let document: string | null = null;
  return [
    {
      method: 'GET',
      path: '/api/v1/status',
      auth: true,
      summary: 'The service at a glance: version, uptime, mode of running, stores',
      handler: async ({ res }) =>
        sendData(res, 200, {
          service: 'unified-music',
          version: deps.version,
          uptime_seconds: Math.round((deps.now() - deps.startedAt) / 1000),
          ...(await deps.status()),
        }),
    },
    {
      method: 'GET',
      path: '/api/v1/openapi.json',
      auth: true,
      summary: 'This API as an OpenAPI 3.1 document',
      handler: ({ res }) => {
        document ??= JSON.stringify(openApiDocument(deps.routes(), { version: deps.version }));
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(document);
      },
    },
  ];
}
