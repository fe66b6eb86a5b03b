import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.ts';
import { FAILED_AUTH_PER_MINUTE } from '../../../src/http/access.ts';
import { sendData } from '../../../src/http/envelope.ts';
import { HttpServer } from '../../../src/http/server.ts';

const TOKEN = 'test-token-0123456789abcdef';

/** One request over node:http from a chosen loopback address, with raw headers. */
function call(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  localAddress = '127.0.0.1',
) {
  return new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, localAddress, agent: false });
    req.on('error', reject);
    req.on('response', (res) => {
      res.resume();
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          retryAfter: res.headers['retry-after'] as string | undefined,
        }),
      );
    });
    req.end();
  });
}

/** A server with a limit of 3 writes a minute, a write route, an internal POST route and an open one. */
async function limitedServer(): Promise<{ server: HttpServer; port: number }> {
  const server = new HttpServer({
    host: '127.0.0.1',
    port: 0,
    apiToken: TOKEN,
    rateLimitPerMinute: 3,
    logger: silentLogger(),
  });
  const ok = ({ res }: { res: import('node:http').ServerResponse }) => sendData(res, 200, { ok: true });
  server.add(
    { method: 'POST', path: '/api/v1/write', auth: true, write: true, handler: ok },
    // Not marked as a write: every authenticated non-GET counts all the same.
    { method: 'POST', path: '/api/v1/internal/input', auth: true, handler: ok },
    { method: 'GET', path: '/api/v1/read', auth: true, handler: ok },
    { method: 'GET', path: '/callback', auth: false, write: true, handler: ok },
  );
  return { server, port: (await server.listen()).port };
}

describe('write rate limit', () => {
  let server: HttpServer;
  let port: number;
  beforeAll(async () => {
    ({ server, port } = await limitedServer());
  });
  afterAll(() => server.close());

  it('counts one token as one identity however the Authorization header is spelled, and internal POSTs too', async () => {
    const spellings = [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `Bearer\t${TOKEN}`, `Bearer  ${TOKEN}`];
    const paths = ['/api/v1/write', '/api/v1/internal/input', '/api/v1/write', '/api/v1/write'];
    const statuses: number[] = [];
    for (const [i, authorization] of spellings.entries()) {
      statuses.push((await call(port, 'POST', paths[i]!, { authorization })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    // From another address with the same token: the same identity, still limited.
    const elsewhere = await call(
      port,
      'POST',
      '/api/v1/write',
      { authorization: `bearer ${TOKEN}` },
      '127.0.0.3',
    );
    expect(elsewhere.status).toBe(429);
    expect(Number(elsewhere.retryAfter)).toBeGreaterThan(0);
    // Reads are not limited.
    expect((await call(port, 'GET', '/api/v1/read', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it('limits an anonymous write route by address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(port, 'GET', '/callback', {}, '127.0.0.4')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await call(port, 'GET', '/callback', {}, '127.0.0.5')).status).toBe(200);
  });
});

describe('failed token checks', () => {
  let server: HttpServer;
  let port: number;
  beforeAll(async () => {
    ({ server, port } = await limitedServer());
  });
  afterAll(() => server.close());

  it(`refuses an address with 429 after ${FAILED_AUTH_PER_MINUTE} wrong tokens a minute; other addresses are not affected`, async () => {
    const guesses: number[] = [];
    for (let i = 0; i < FAILED_AUTH_PER_MINUTE; i++) {
      guesses.push(
        (await call(port, 'GET', '/api/v1/read', { authorization: `Bearer guess-${i}` }, '127.0.0.6')).status,
      );
    }
    expect(guesses.every((s) => s === 401)).toBe(true);
    const next = await call(port, 'GET', '/api/v1/read', { authorization: `Bearer ${TOKEN}` }, '127.0.0.6');
    expect(next.status).toBe(429);
    expect(Number(next.retryAfter)).toBeGreaterThan(0);
    const other = await call(port, 'GET', '/api/v1/read', { authorization: `Bearer ${TOKEN}` }, '127.0.0.7');
    expect(other.status).toBe(200);
  });
});
