import { sendData, sendError } from '../envelope.ts';
import type { Metrics } from '../metrics.ts';
import type { Route } from '../router.ts';

export interface HealthCheck {
  name: string;
  /** Resolves with details when healthy; throws or returns `{ ok: false }` otherwise. */
  check(): Promise<{ ok: boolean; detail?: unknown }>;
}

/** `/health` (liveness), `/healthz` (every part, 503 naming the failing ones) and `/metrics`. */
export function healthRoutes(checks: HealthCheck[], metrics: Metrics): Route[] {
  const runChecks = async () => {
    const results = await Promise.all(
      checks.map(async (c) => {
        try {
          const r = await withTimeout(c.check(), 2_000);
          return { name: c.name, ok: r.ok, detail: r.detail ?? null };
        } catch (err) {
          return { name: c.name, ok: false, detail: err instanceof Error ? err.message : String(err) };
        }
      }),
    );
    for (const r of results) metrics.componentUp.set({ component: r.name }, r.ok ? 1 : 0);
    return results;
  };
  return [
    {
      method: 'GET',
      path: '/health',
      summary: 'Liveness',
      auth: false,
      handler: ({ res }) => sendData(res, 200, { status: 'ok' }),
    },
    {
      method: 'GET',
      path: '/healthz',
      summary: 'Readiness: Redis, PostgreSQL, the Discord gateway and each provider',
      auth: false,
      handler: async ({ res }) => {
        const results = await runChecks();
        const components = Object.fromEntries(results.map((r) => [r.name, { ok: r.ok, detail: r.detail }]));
        const failing = results.filter((r) => !r.ok).map((r) => r.name);
        if (failing.length === 0) return sendData(res, 200, { status: 'ok', components });
        sendError(res, 503, 'UNHEALTHY', `Unhealthy: ${failing.join(', ')}.`, { failing, components });
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      summary: 'Prometheus metrics',
      auth: false,
      handler: async ({ res }) => {
        await runChecks();
        const text = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
      },
    },
  ];
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
