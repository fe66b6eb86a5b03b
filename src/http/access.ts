import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from './envelope.ts';
import { RateLimiter } from './rate-limit.ts';

/** Failed token checks one address may make per minute (when rate limiting is on). */
export const FAILED_AUTH_PER_MINUTE = 20;

/** Who a request is, for the rate limit: the token's holder, or the address of an anonymous client. */
export type Identity = { kind: 'token' } | { kind: 'address'; address: string };

/**
 * The bearer-token check and the rate limits. Writes are counted per identity (however the
 * Authorization header is spelled, a token is one identity), and failed token checks per address, so
 * that guessing the token is slow too.
 */
export class Access {
  private readonly tokenHash: Buffer | null;
  private readonly writes: RateLimiter;
  private readonly failures: RateLimiter;

  constructor(options: { apiToken: string | undefined; rateLimitPerMinute: number; now?: () => number }) {
    this.tokenHash = options.apiToken ? sha256(options.apiToken) : null;
    const now = options.now ?? Date.now;
    this.writes = new RateLimiter(options.rateLimitPerMinute, 60_000, now);
    this.failures = new RateLimiter(options.rateLimitPerMinute > 0 ? FAILED_AUTH_PER_MINUTE : 0, 60_000, now);
  }

  /**
   * Checks the bearer token; on failure answers 503 (API off), 429 (too many failures from this
   * address) or 401, and returns null.
   */
  authorize(req: IncomingMessage, res: ServerResponse): Identity | null {
    if (!this.tokenHash) {
      sendError(res, 503, 'API_DISABLED', 'The REST API is off: set API_TOKEN to turn it on.');
      return null;
    }
    const address = addressOf(req);
    const blocked = this.failures.peek(address);
    if (!blocked.ok) {
      tooMany(res, blocked.retryAfterMs);
      return null;
    }
    const match = /^Bearer[ \t]+(.*?)[ \t]*$/i.exec(req.headers.authorization ?? '');
    // Compare hashes so that the comparison takes the same time whatever the length of the guess.
    if (!match?.[1] || !timingSafeEqual(sha256(match[1]!), this.tokenHash)) {
      this.failures.take(address);
      sendError(
        res,
        401,
        'UNAUTHORIZED',
        'A valid "Authorization: Bearer <API_TOKEN>" header is required.',
        null,
        { 'www-authenticate': 'Bearer' },
      );
      return null;
    }
    return { kind: 'token' };
  }

  /** Counts a write for its identity; answers 429 with Retry-After and returns false past the limit. */
  limitWrite(req: IncomingMessage, res: ServerResponse, identity: Identity | null): boolean {
    const who = identity ?? { kind: 'address', address: addressOf(req) };
    const verdict = this.writes.take(who.kind === 'token' ? 'token' : `address|${who.address}`);
    if (verdict.ok) return true;
    tooMany(res, verdict.retryAfterMs);
    return false;
  }
}

function tooMany(res: ServerResponse, retryAfterMs: number): void {
  const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000));
  sendError(
    res,
    429,
    'RATE_LIMITED',
    `Too many requests; try again in ${retryAfter} s.`,
    { retry_after_seconds: retryAfter },
    { 'retry-after': String(retryAfter) },
  );
}

function addressOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
