import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ZodError } from 'zod';
import { isUserError } from '../core/errors.ts';
import { summarizeIssues } from '../core/issues.ts';
import type { Logger } from '../core/logger.ts';
import { Access, type Identity } from './access.ts';
import {
  CONNECTIONS_CHECK_INTERVAL_MS,
  type ConnectionLimits,
  DEFAULT_CONNECTION_LIMITS,
  guardConnections,
} from './connections.ts';
import { sendError } from './envelope.ts';
import { BadPathError, type Route, Router } from './router.ts';
import { checkBody, checkText } from './text-guard.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpServerOptions {
  host: string;
  port: number;
  /** Bearer token for /api/v1; undefined turns the API off (503), never open by accident. */
  apiToken: string | undefined;
  /**
   * Writes per minute per identity (the token, or the address of an anonymous client); also turns on
   * the limit of failed token checks per address. 0 turns both off.
   */
  rateLimitPerMinute: number;
  /** Timeouts and the per-address connection cap; defaults: DEFAULT_CONNECTION_LIMITS. */
  connections?: Partial<ConnectionLimits>;
  logger: Logger;
  /** Observes each request's duration (for /metrics). */
  observe?: (route: string, method: string, status: number, seconds: number) => void;
  /** Handles WebSocket upgrades (the overlay). */
  onUpgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /**
   * The paths `onUpgrade` serves; a request with an Upgrade header to any other path is served as a
   * plain HTTP request. Absent: every upgrade goes to `onUpgrade`.
   */
  upgradePath?: RegExp;
}

/**
 * The side-server: REST API, health, metrics and the overlay on one node:http server. Every answer
 * uses the seed's envelope; bad input of any kind is a 4xx with a stable code, never a 5xx.
 */
export class HttpServer {
  readonly router = new Router();
  private readonly options: HttpServerOptions;
  private readonly server: Server;
  private readonly access: Access;
  private readonly connections: ReturnType<typeof guardConnections>;

  constructor(options: HttpServerOptions) {
    this.options = options;
    this.access = new Access({ apiToken: options.apiToken, rateLimitPerMinute: options.rateLimitPerMinute });
    const upgradePath = options.upgradePath;
    this.server = createServer(
      {
        connectionsCheckingInterval: CONNECTIONS_CHECK_INTERVAL_MS,
        ...(upgradePath && {
          shouldUpgradeCallback: (req: IncomingMessage) =>
            req.method === 'GET' && upgradePath.test(pathOf(req.url)),
        }),
      },
      (req, res) => void this.handle(req, res),
    );
    this.connections = guardConnections(this.server, {
      ...DEFAULT_CONNECTION_LIMITS,
      ...options.connections,
    });
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
    res.once('close', this.connections.busy(req.socket));
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
      if ('allow' in match) {
        return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here.`, null, {
          allow: match.allow.join(', '),
        });
      }
      const { route, params } = match;
      routeName = route.path;
      let identity: Identity | null = null;
      if (route.auth) {
        identity = this.access.authorize(req, res);
        if (!identity) return;
      }
      // Every authenticated request that is not a read counts, whatever the route says of itself.
      const write = route.write || (route.auth && route.method !== 'GET');
      if (write && !this.access.limitWrite(req, res, identity)) return;
      for (const [name, value] of Object.entries(params)) checkText(name, value);
      for (const [name, value] of url.searchParams) checkText(`?${name}`, `${name}${value}`);
      const body = await this.readBody(req, res, route.textBody);
      if (body === BODY_REJECTED) return;
      if (!route.textBody) checkBody(body);
      const parsed = route.body ? route.body.parse(body ?? {}) : body;
      await route.handler({ req, res, params, query: url.searchParams, body: parsed });
    } catch (err) {
      this.fail(res, err);
    }
  }

  private async readBody(req: IncomingMessage, res: ServerResponse, textType?: string): Promise<unknown> {
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
    if (textType) {
      if (type.split(';')[0]!.trim().toLowerCase() !== textType) {
        sendError(
          res,
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          `Send the body as ${textType} (Content-Type: ${textType}).`,
        );
        return BODY_REJECTED;
      }
      return Buffer.concat(chunks);
    }
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
        (err.status === 503 || err.status === 429) && typeof retry === 'number'
          ? { 'retry-after': String(retry) }
          : {};
      sendError(res, err.status, err.code, err.message, err.details ?? null, headers);
    } else if (err instanceof ZodError) {
      // Bounded whatever the body: a few issues, a few unknown keys named, the rest counted.
      const { message, issues, omitted } = summarizeIssues(err.issues);
      sendError(res, 400, 'INVALID_INPUT', message, {
        issues,
        ...(omitted > 0 ? { omitted_issues: omitted } : {}),
      });
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

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://side-server').pathname;
  } catch {
    return '';
  }
}
