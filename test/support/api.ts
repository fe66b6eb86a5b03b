import { silentLogger } from '../../src/core/logger.ts';
import { HttpServer } from '../../src/http/server.ts';

/** The API token the route tests use. */
export const TEST_API_TOKEN = 'test-token-0123456789abcdef';

/**
 * A side-server on a free loopback port with the test token (null: no API_TOKEN, the API is off), no
 * rate limit and no cap on connections per address (a test is hundreds of clients on one loopback
 * address); add routes, then listen.
 */
export function testServer(apiToken: string | null = TEST_API_TOKEN): HttpServer {
  return new HttpServer({
    host: '127.0.0.1',
    port: 0,
    apiToken: apiToken ?? undefined,
    rateLimitPerMinute: 0,
    connections: { maxPerAddress: 0 },
    logger: silentLogger(),
  });
}

/**
 * A header for test requests: one connection per request. A kept-alive connection can be closed by the
 * server (its keep-alive timeout) just as the client sends the next request on it: the request fails
 * with "other side closed". Rare on an idle machine, common on a busy one, where the client's timers run
 * late; and a failed POST is not for the client to retry.
 */
export const NO_KEEP_ALIVE = { connection: 'close' } as const;

/** Calls `base` with the token; the body is sent as JSON. Answers the status and the parsed body. */
export function apiClient(base: string, token = TEST_API_TOKEN) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...NO_KEEP_ALIVE,
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: JSON read by path in assertions
    return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : null) as any };
  };
}
