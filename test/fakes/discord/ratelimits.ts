import { createHash } from 'node:crypto';

/**
 * Discord's rate limits as a client observes them (../../../../shared/protocols/discord-fake.md):
 * per-route buckets keyed by the route and its major parameter (channel, guild, or webhook id and token),
 * announced on every answer with `X-RateLimit-Limit`, `-Remaining`, `-Reset`, `-Reset-After` and
 * `-Bucket`; a request over a bucket gets 429 with `retry_after`. On top, 50 requests per second per bot
 * token (requests with an Authorization header: interaction callbacks and webhook calls by token are not
 * counted).
 */

export interface Limit {
  limit: number;
  perMs: number;
}

/** The buckets the fake enforces; any other route gets a generous one, so headers are always there. */
export const ROUTE_LIMITS: { method: string; pattern: RegExp; limit: Limit }[] = [
  // Reactions: 1 per 0.25 s per channel.
  {
    method: 'PUT',
    pattern: /^\/channels\/[^/]+\/messages\/[^/]+\/reactions\//,
    limit: { limit: 1, perMs: 250 },
  },
  {
    method: 'DELETE',
    pattern: /^\/channels\/[^/]+\/messages\/[^/]+\/reactions\//,
    limit: { limit: 1, perMs: 250 },
  },
  // Creating and editing messages: 5 per 5 s per channel.
  { method: 'POST', pattern: /^\/channels\/[^/]+\/messages$/, limit: { limit: 5, perMs: 5000 } },
  { method: 'PATCH', pattern: /^\/channels\/[^/]+\/messages\/[^/]+$/, limit: { limit: 5, perMs: 5000 } },
  { method: 'DELETE', pattern: /^\/channels\/[^/]+\/messages\/[^/]+$/, limit: { limit: 5, perMs: 5000 } },
  // An interaction's webhook (its token is the major parameter): 5 per 5 s per token, like message edits.
  { method: 'PATCH', pattern: /^\/webhooks\/[^/]+\/[^/]+\/messages\//, limit: { limit: 5, perMs: 5000 } },
  { method: 'POST', pattern: /^\/webhooks\/[^/]+\/[^/]+$/, limit: { limit: 5, perMs: 5000 } },
];
const DEFAULT_LIMIT: Limit = { limit: 50, perMs: 1000 };
export const GLOBAL_PER_SECOND = 50;

/** The route with ids replaced, and its major parameter, as Discord buckets it. */
export function routeKey(method: string, path: string): { route: string; major: string } {
  const rest = path.replace(/^\/api\/v10/, '');
  const major =
    /^\/webhooks\/(\d+\/[^/]+)/.exec(rest)?.[1] ??
    /^\/(?:channels|guilds|webhooks)\/(\d+)/.exec(rest)?.[1] ??
    'global';
  const route = rest
    .replace(/\/reactions\/.*/, '/reactions/:emoji')
    .replace(/^\/webhooks\/\d+\/[^/]+/, '/webhooks/:id/:token')
    .replace(/\d{5,}/g, ':id');
  return { route: `${method} ${route}`, major };
}

interface Window {
  count: number;
  resetAt: number;
}

/** Headers and, when refused, the 429 answer. */
export interface Verdict {
  headers: Record<string, string>;
  refused: null | { global: boolean; retryAfter: number; bucket: string };
}

export class RateLimits {
  private readonly windows = new Map<string, Window>();
  private global: Window = { count: 0, resetAt: 0 };
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** Counts a request (unless refused) and says what to answer. Interaction callbacks are not limited. */
  take(method: string, path: string, authorized: boolean): Verdict {
    const rest = path.replace(/^\/api\/v10/, '');
    if (rest.startsWith('/interactions/')) return { headers: {}, refused: null };
    const now = this.now();
    const { route, major } = routeKey(method, path);
    const limit =
      ROUTE_LIMITS.find((r) => r.method === method && r.pattern.test(rest))?.limit ?? DEFAULT_LIMIT;
    const bucket = createHash('sha1').update(route).digest('hex').slice(0, 16);
    const key = `${bucket}:${major}`;
    let w = this.windows.get(key);
    if (!w || now >= w.resetAt) {
      w = { count: 0, resetAt: now + limit.perMs };
      this.windows.set(key, w);
    }
    if (authorized && now >= this.global.resetAt) this.global = { count: 0, resetAt: now + 1000 };
    const headers = (remaining: number) => ({
      'x-ratelimit-limit': String(limit.limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': (w!.resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': ((w!.resetAt - now) / 1000).toFixed(3),
      'x-ratelimit-bucket': bucket,
    });
    if (authorized && this.global.count >= GLOBAL_PER_SECOND) {
      const retryAfter = (this.global.resetAt - now) / 1000;
      return {
        headers: {
          ...headers(limit.limit - w.count),
          'x-ratelimit-global': 'true',
          'x-ratelimit-scope': 'global',
        },
        refused: { global: true, retryAfter, bucket: 'global' },
      };
    }
    if (w.count >= limit.limit) {
      const retryAfter = (w.resetAt - now) / 1000;
      return {
        headers: { ...headers(0), 'x-ratelimit-scope': 'user' },
        refused: { global: false, retryAfter, bucket: `${route} (${major})` },
      };
    }
    w.count += 1;
    if (authorized) this.global.count += 1;
    return { headers: headers(limit.limit - w.count), refused: null };
  }
}
