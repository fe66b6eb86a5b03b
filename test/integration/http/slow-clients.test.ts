import { once } from 'node:events';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.ts';
import type { ConnectionLimits } from '../../../src/http/connections.ts';
import { sendData } from '../../../src/http/envelope.ts';
import { Metrics } from '../../../src/http/metrics.ts';
import { healthRoutes } from '../../../src/http/routes/health.ts';
import { HttpServer } from '../../../src/http/server.ts';

/** A second loopback address: "another client" for the per-address cap (Linux routes all of 127/8). */
const OTHER = '127.0.0.2';

const servers: HttpServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) await s.close();
});

async function start(connections: Partial<ConnectionLimits> = {}, extra?: (s: HttpServer) => void) {
  const server = new HttpServer({
    host: '127.0.0.1',
    port: 0,
    apiToken: 'test-token-0123456789abcdef',
    rateLimitPerMinute: 0,
    logger: silentLogger(),
    connections,
  });
  server.add(...healthRoutes([], new Metrics()));
  extra?.(server);
  servers.push(server);
  return (await server.listen()).port;
}

/** A raw TCP client that has connected (and sent `data`, if any); `closed` settles when the server hangs up. */
async function open(port: number, data?: string, localAddress?: string) {
  const socket = connect({ port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) });
  sockets.push(socket);
  socket.on('error', () => {});
  socket.resume();
  const closed = once(socket, 'close').then(() => true);
  await once(socket, 'connect');
  if (data) socket.write(data);
  return { socket, closed };
}

/** One request over node:http (so that the source address can be chosen); the status and body. */
function get(port: number, path: string, options: { method?: string; localAddress?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        agent: false,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      });
      req.on('error', reject);
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.end();
    },
  );
}

describe('slow and idle clients', () => {
  it('closes a silent connection and one that sent part of a request line, with the default limits', async () => {
    const port = await start();
    const silent = await open(port);
    const partial = await open(port, 'GET /hea');
    // Both close by themselves (within 10 s by the defaults); the test's own timeout is the bound.
    expect(await Promise.all([silent.closed, partial.closed])).toEqual([true, true]);
  });

  it('closes a client that drips its headers, even though it is never silent for long', async () => {
    const port = await start({ idleTimeoutMs: 60_000, headersTimeoutMs: 500 });
    const drip = await open(port, 'GET /health HTTP/1.1\r\n');
    const timer = setInterval(() => drip.socket.write('X-A: b\r\n'), 100);
    try {
      expect(await drip.closed).toBe(true);
    } finally {
      clearInterval(timer);
    }
  });

  it('does not cut a request whose handler works longer than the idle timeout', async () => {
    let sentinelClosed: Promise<boolean> = Promise.resolve(false);
    const port = await start({ idleTimeoutMs: 200 }, (s) =>
      s.add({
        method: 'GET',
        path: '/slow',
        auth: false,
        handler: async ({ res }) => {
          // Answers only once a silent connection opened now was closed for idleness.
          const closedForIdleness = await sentinelClosed;
          sendData(res, 200, { closedForIdleness });
        },
      }),
    );
    sentinelClosed = (await open(port)).closed;
    const res = await get(port, '/slow');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).data).toEqual({ closedForIdleness: true });
  });

  it('caps the connections of one address and /health keeps answering others', async () => {
    const port = await start({ maxPerAddress: 64, idleTimeoutMs: 120_000 });
    let refused = 0;
    let allRefused = () => {};
    const pastCap = new Promise<void>((resolve) => {
      allRefused = resolve;
    });
    const flood = await Promise.all(Array.from({ length: 200 }, () => open(port, undefined, OTHER)));
    for (const f of flood) {
      void f.closed.then(() => {
        refused += 1;
        if (refused === 200 - 64) allRefused();
      });
    }
    // The server hangs up on everything past the cap at once.
    await pastCap;
    const health = await get(port, '/health');
    expect(health.status).toBe(200);
    expect(refused).toBe(200 - 64);
    // One more from the flooding address is refused too, while its 64 are open.
    const extra = await open(port, 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n', OTHER);
    expect(await extra.closed).toBe(true);
    expect(refused).toBe(200 - 64);
  });
});

describe('HTTP methods and upgrades', () => {
  it('answers HEAD on a GET route like GET, without a body', async () => {
    const port = await start();
    const head = await get(port, '/health', { method: 'HEAD' });
    const getRes = await get(port, '/health');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-type']).toBe(getRes.headers['content-type']);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
  });

  it('names the allowed methods in a 405', async () => {
    const port = await start();
    const res = await get(port, '/health', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(JSON.parse(res.body).error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('serves a normal route normally when the request asks to upgrade; only the socket path upgrades', async () => {
    const upgraded: string[] = [];
    const server = new HttpServer({
      host: '127.0.0.1',
      port: 0,
      apiToken: undefined,
      rateLimitPerMinute: 0,
      logger: silentLogger(),
      upgradePath: /^\/ws\/music\/[^/]+$/,
      onUpgrade: (req, socket) => {
        upgraded.push(req.url ?? '');
        socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      },
    });
    server.add(...healthRoutes([], new Metrics()));
    servers.push(server);
    const { port } = await server.listen();
    const ask = async (path: string) => {
      const { socket, closed } = await open(port);
      let text = '';
      socket.on('data', (c: Buffer) => {
        text += c.toString();
      });
      socket.end(
        `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
      await closed;
      return text;
    };
    const health = await ask('/health');
    expect(health).toMatch(/^HTTP\/1\.1 200 /);
    expect(health).toMatch(/content-type: application\/json/i);
    expect(health).toContain('"status":"ok"');
    expect(await ask('/ws/music/123')).toMatch(/^HTTP\/1\.1 401 /);
    expect(upgraded).toEqual(['/ws/music/123']);
  });
});

describe('text no route can store', () => {
  it('answers 400 for NUL or an unpaired surrogate in a path parameter, a query or a JSON body', async () => {
    const seen: unknown[] = [];
    const port = await start({}, (s) =>
      s.add({
        method: 'POST',
        path: '/echo/{name}',
        auth: false,
        handler: ({ res, params, body }) => {
          seen.push(params.name, body);
          sendData(res, 200, { ok: true });
        },
      }),
    );
    const post = async (path: string, body: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      return { status: res.status, json: (await res.json()) as { error?: { code: string } } };
    };
    expect((await post('/echo/fine', '{"a":"b"}')).status).toBe(200);
    for (const [path, body] of [
      ['/echo/a%00b', '{}'],
      ['/echo/fine?x=%00', '{}'],
      ['/echo/fine', '{"station":"a\\u0000"}'],
      ['/echo/fine', '{"station":"\\ud800"}'],
      ['/echo/fine', '{"h":{"x\\udc00":"v"}}'],
    ] as const) {
      const res = await post(path, body);
      expect(res.status, `${path} ${body}`).toBe(400);
      expect(res.json.error?.code).toBe('INVALID_INPUT');
    }
    expect(seen).toEqual(['fine', { a: 'b' }]);
  });
});
