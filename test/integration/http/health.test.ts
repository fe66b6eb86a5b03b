import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import { Metrics } from '../../../src/http/metrics.ts';
import { healthRoutes } from '../../../src/http/routes/health.ts';
import { HttpServer } from '../../../src/http/server.ts';
import { MemoryQueueStore } from '../../../src/storage/queue/memory-store.ts';
import { createRedis } from '../../../src/storage/queue/redis-client.ts';
import { RedisQueueStore } from '../../../src/storage/queue/redis-store.ts';
import { createResilientStore } from '../../../src/storage/queue/resilient-store.ts';
import { TestRedisServer } from '../../support/redis-server.ts';

describe('/healthz names Redis while it is down, and recovers', () => {
  let redisServer: TestRedisServer;
  let http: HttpServer;
  let base: string;
  let client: ReturnType<typeof createRedis>;
  let store: ReturnType<typeof createResilientStore>;

  beforeAll(async () => {
    redisServer = await TestRedisServer.start();
    client = createRedis(redisServer.url);
    await new Promise<void>((resolve) => client.once('ready', () => resolve()));
    const memory = new MemoryQueueStore({ ttlSeconds: 60, historyLimit: 10, clock: new ManualClock() });
    const primary = new RedisQueueStore(client, { namespace: 'health', ttlSeconds: 60, historyLimit: 10 });
    store = createResilientStore(primary, memory, client, silentLogger());
    http = new HttpServer({
      host: '127.0.0.1',
      port: 0,
      apiToken: undefined,
      rateLimitPerMinute: 0,
      logger: silentLogger(),
    });
    http.add(
      ...healthRoutes(
        [
          {
            name: 'redis',
            check: async () => {
              const h = store.health();
              return { ok: h.redis !== 'down', detail: h };
            },
          },
          { name: 'database', check: async () => ({ ok: true }) },
        ],
        new Metrics(),
      ),
    );
    base = `http://127.0.0.1:${(await http.listen()).port}`;
  });
  afterAll(async () => {
    client.disconnect();
    await http.close();
    await redisServer.stop();
  });

  it('is healthy, then 503 naming redis once the connection is lost, then healthy once Redis is back', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const lost = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await redisServer.stop();
    await lost; // the connection's state, not a failed command, says Redis is down
    const down = await fetch(`${base}/healthz`);
    expect(down.status).toBe(503);
    const body = (await down.json()) as { error: { message: string } };
    expect(body).toMatchObject({
      success: false,
      error: { code: 'UNHEALTHY', details: { failing: ['redis'] } },
    });
    expect(body.error.message).toBe('Unhealthy: redis.');
    const back = new Promise<void>((resolve) => client.once('ready', () => resolve()));
    await redisServer.start();
    await back;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('um_component_up{component="redis"} 1');
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});

describe('/healthz is readiness of the process itself, and shows no error texts', () => {
  let http: HttpServer;
  let base: string;
  let databaseDown = false;
  let soundcloudOk = true;

  beforeAll(async () => {
    http = new HttpServer({
      host: '127.0.0.1',
      port: 0,
      apiToken: undefined,
      rateLimitPerMinute: 0,
      logger: silentLogger(),
    });
    http.add(
      ...healthRoutes(
        [
          {
            name: 'database',
            check: async () => {
              if (databaseDown) throw new Error('connect ECONNREFUSED /var/run/postgresql/.s.PGSQL.5432');
              return { ok: true, detail: { kind: 'postgres' } };
            },
          },
          // What src/app/observability.ts builds for a provider: reported, not required, no detail.
          { name: 'provider:soundcloud', required: false, check: async () => ({ ok: soundcloudOk }) },
        ],
        new Metrics(),
      ),
    );
    base = `http://127.0.0.1:${(await http.listen()).port}`;
  });
  afterAll(() => http.close());

  it('stays ready while a provider fails, and reports the provider as down', async () => {
    soundcloudOk = false;
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { components: Record<string, unknown> } };
    expect(body.data.components['provider:soundcloud']).toEqual({ ok: false, required: false, detail: null });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('um_component_up{component="provider:soundcloud"} 0');
    soundcloudOk = true;
  });

  it('is 503 naming a required part that fails, without its error text or path', async () => {
    databaseDown = true;
    const res = await fetch(`${base}/healthz`);
    const text = await res.text();
    databaseDown = false;
    expect(res.status).toBe(503);
    expect(JSON.parse(text).error.details.failing).toEqual(['database']);
    expect(text).not.toContain('/var/run');
    expect(text).not.toContain('ECONNREFUSED');
  });
});
