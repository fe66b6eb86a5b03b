import type { Logger } from '../../core/logger.ts';
import { sendData, sendError } from '../envelope.ts';
import type { Metrics } from '../metrics.ts';
import type { Route } from '../router.ts';

export interface HealthCheck {
  name: string;
  /** Whether the instance is unready while this fails (default true); false: reported only. */
  required?: boolean;
  /**
   * Resolves with details when healthy; throws or returns `{ ok: false }` otherwise. The details are
   * shown without a token: no error texts, paths or secrets in them.
   */
  check(): Promise<{ ok: boolean; detail?: unknown }>;
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * `/health` (liveness), `/healthz` (readiness: 503 naming the failing required parts, the others
 * reported) and `/metrics`. A check that throws is shown as failed without its error text (logged).
 */
export function healthRoutes(checks: HealthCheck[], metrics: Metrics, logger?: Logger): Route[] {
  const runChecks = async () => {
    const results = await Promise.all(
      checks.map(async (c) => {
        const required = c.required ?? true;
        try {
          const r = await withTimeout(c.check(), CHECK_TIMEOUT_MS);
          return { name: c.name, required, ok: r.ok, detail: r.detail ?? null };
        } catch (err) {
          logger?.warn({ err, component: c.name }, 'health check failed');
          const detail = err instanceof TimeoutError ? err.message : 'the check failed (see the log)';
          return { name: c.name, required, ok: false, detail };
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
      summary: 'Readiness: Redis, the database and the Discord gateway; each provider is reported only',
      auth: false,
      handler: async ({ res }) => {
        const results = await runChecks();
        const components = Object.fromEntries(
          results.map((r) => [r.name, { ok: r.ok, required: r.required, detail: r.detail }]),
        );
        const failing = results.filter((r) => !r.ok && r.required).map((r) => r.name);
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

class TimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(`no answer within ${ms} ms`)), ms);
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
