import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ZodError } from 'zod';
import { isUserError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { sendError } from './envelope.ts';
import { RateLimiter } from './rate-limit.ts';
import { BadPathError, type Route, Router } from './router.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpServerOptions {
  host: string;
  port: number;
  /** Bearer token for /api/v1; undefined turns the API off (503), never open by accident. */
  apiToken: string | undefined;
  /** Write requests per minute per token and client address; 0 turns the limit off. */
  rateLimitPerMinute: number;
  logger: Logger;
  /** Observes each request's duration (for /metrics). */
  observe?: (route: string, method: string, status: number, seconds: number) => void;
  /** Handles WebSocket upgrades (the overlay). */
  onUpgrade?: (req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => void;
}

/**
 * The side-server: REST API, health, metrics and the overlay on one node:http server. Every answer
 * uses the seed's envelope; bad input of any kind is a 4xx with a stable code, never a 5xx.
 */
export class HttpServer {
  readonly router = new Router();
  private readonly options: HttpServerOptions;
  private readonly server: Server;
  private readonly limiter: RateLimiter;
  private readonly tokenHash: Buffer | null;

  constructor(options: HttpServerOptions) {
    this.options = options;
    this.limiter = new RateLimiter(options.rateLimitPerMinute, 60_000);
    this.tokenHash = options.apiToken ? sha256(options.apiToken) : null;
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5_000;
    if (options.onUpgrade) this.server.on('upgrade', options.onUpgrade);
  }

  add(...routes: Route[]): void {
    this.router.add(...routes);
  }

  routes(): Route[] {
    return this.router.list();
  }

  async listen(): Promise<{ host: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address();
    const port = typeof address === 'object' && address ? address.port : this.options.port;
    return { host: this.options.host, port };
  }

  /**
   * Stops listening; idle keep-alive sockets (browsers keep spare ones that never send a request) are
   * closed at once, and whatever is still open after a short grace period is cut.
   */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const grace = setTimeout(() => this.server.closeAllConnections(), 1_000);
    grace.unref();
    await closed;
    clearTimeout(grace);
  }

  get raw(): Server {
    return this.server;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    let routeName = 'unmatched';
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.options.observe?.(routeName, req.method ?? 'GET', res.statusCode, seconds);
    });
    try {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://side-server');
      } catch {
        return sendError(res, 400, 'INVALID_INPUT', 'The request path is not valid.');
      }
      let match: ReturnType<Router['match']>;
      try {
        match = this.router.match(req.method ?? 'GET', url.pathname);
      } catch (err) {
        if (err instanceof BadPathError)
          return sendError(res, 400, 'INVALID_INPUT', 'The request path has a bad %-escape.');
        throw err;
      }
      if (match === null) return sendError(res, 404, 'NOT_FOUND', `No route ${req.method} ${url.pathname}.`);
      if (match === 'method')
        return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here.`);
      const { route, params } = match;
      routeName = route.path;
      if (route.auth && !this.authorize(req, res)) return;
      if (route.write && !this.rateLimit(req, res)) return;
      const body = await this.readBody(req, res);
      if (body === BODY_REJECTED) return;
      const parsed = route.body ? route.body.parse(body ?? {}) : body;
      await route.handler({ req, res, params, query: url.searchParams, body: parsed });
    } catch (err) {
      this.fail(res, err);
    }
  }

  private authorize(req: IncomingMessage, res: ServerResponse): boolean {
    if (!this.tokenHash) {
      sendError(res, 503, 'API_DISABLED', 'The REST API is off: set API_TOKEN to turn it on.');
      return false;
    }
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    // Compare hashes so that the comparison takes the same time whatever the length of the guess.
    if (!match || !timingSafeEqual(sha256(match[1]!.trim()), this.tokenHash)) {
      sendError(
        res,
        401,
        'UNAUTHORIZED',
        'A valid "Authorization: Bearer <API_TOKEN>" header is required.',
        null,
        {
          'www-authenticate': 'Bearer',
        },
      );
      return false;
    }
    return true;
  }

  private rateLimit(req: IncomingMessage, res: ServerResponse): boolean {
    const key = `${sha256(req.headers.authorization ?? '')
      .toString('hex')
      .slice(0, 16)}|${req.socket.remoteAddress}`;
    const verdict = this.limiter.take(key);
    if (verdict.ok) return true;
    const retryAfter = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
    sendError(
      res,
      429,
      'RATE_LIMITED',
      `Too many requests; try again in ${retryAfter} s.`,
      { retry_after_seconds: retryAfter },
      {
        'retry-after': String(retryAfter),
      },
    );
    return false;
  }

  private async readBody(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
    if (req.method === 'GET' || req.method === 'HEAD') return undefined;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      tooLarge(req, res);
      return BODY_REJECTED;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        tooLarge(req, res);
        return BODY_REJECTED;
      }
      chunks.push(chunk as Buffer);
    }
    if (size === 0) return undefined;
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/(.+\+)?json\b/i.test(type)) {
      sendError(
        res,
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'Send the body as JSON (Content-Type: application/json).',
      );
      return BODY_REJECTED;
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      sendError(res, 400, 'INVALID_JSON', 'The request body is not valid JSON.');
      return BODY_REJECTED;
    }
  }

  private fail(res: ServerResponse, thrown: unknown): void {
    // A UserError raised below a library that wraps errors (drizzle wraps the database's) is still one.
    const cause = (thrown as { cause?: unknown } | null)?.cause;
    const err = !isUserError(thrown) && isUserError(cause) ? cause : thrown;
    if (isUserError(err)) {
      // A 503 that says when to come back (the queue store during a Redis outage) says it in the header too.
      const retry = err.details?.retry_after_seconds;
      const headers: Record<string, string> =
        err.status === 503 && typeof retry === 'number' ? { 'retry-after': String(retry) } : {};
      sendError(res, err.status, err.code, err.message, err.details ?? null, headers);
    } else if (err instanceof ZodError) {
      const issues = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      const first = issues[0];
      sendError(
        res,
        400,
        'INVALID_INPUT',
        first ? `${first.path || 'body'}: ${first.message}` : 'Invalid input.',
        {
          issues,
        },
      );
    } else {
      const ref = randomBytes(4).toString('hex');
      this.options.logger.error({ err, ref }, 'request failed');
      sendError(res, 500, 'INTERNAL', `Something went wrong (reference ${ref}).`);
    }
  }
}

const BODY_REJECTED = Symbol('body rejected');

function tooLarge(req: IncomingMessage, res: ServerResponse): void {
  sendError(res, 413, 'PAYLOAD_TOO_LARGE', `The body is over ${MAX_BODY_BYTES} bytes.`, null, {
    connection: 'close',
  });
  req.resume();
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
