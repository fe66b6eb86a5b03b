import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.ts';
import { HttpServer } from '../../../src/http/server.ts';
import { databaseUnavailable } from '../../../src/storage/db/postgres-open.ts';
import { queueUnavailable } from '../../../src/storage/queue/resilient-store.ts';

/** How the REST API answers a store that cannot answer now: 503, Retry-After, a plain message. */
describe('503 UNAVAILABLE from the stores, on the REST API', () => {
  let http: HttpServer;
  let base: string;

  beforeAll(async () => {
    http = new HttpServer({
      host: '127.0.0.1',
      port: 0,
      apiToken: undefined,
      rateLimitPerMinute: 0,
      logger: silentLogger(),
    });
    const route = (path: string, err: () => unknown) => ({
      method: 'GET' as const,
      path,
      summary: path,
      auth: false,
      handler: () => {
        throw err();
      },
    });
    http.add(
      route('/redis-down', () => queueUnavailable('not-made')),
      route('/redis-slow', () => queueUnavailable('unknown')),
      // drizzle wraps what the driver throws in its own error, with the original as `cause`.
      route('/db-down', () =>
        Object.assign(new Error('Failed query: select 1\nparams: '), { cause: databaseUnavailable(false) }),
      ),
    );
    base = `http://127.0.0.1:${(await http.listen()).port}`;
  });
  afterAll(() => http.close());

  for (const [path, reason] of [
    ['/redis-down', 'redis_unreachable'],
    ['/redis-slow', 'redis_no_answer'],
    ['/db-down', 'database_unreachable'],
  ] as const) {
    it(`answers ${path} with 503, Retry-After and reason ${reason}`, async () => {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      const body = (await res.json()) as { error: { code: string; message: string; details: unknown } };
      expect(body.error.code).toBe('UNAVAILABLE');
      expect(body.error.details).toEqual({ retry_after_seconds: 5, reason });
      expect(body.error.message).toMatch(/try again/i);
      expect(body.error.message).not.toMatch(/Failed query|params/);
    });
  }
});
