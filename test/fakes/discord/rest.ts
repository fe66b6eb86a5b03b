import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RateLimits } from './ratelimits.ts';
import { bodyProblems, invalidFormBody } from './spec.ts';

/** What the lenient fake announces on every answer: a bucket that never runs out. */
const LENIENT_HEADERS = {
  'x-ratelimit-limit': '50',
  'x-ratelimit-remaining': '49',
  'x-ratelimit-reset-after': '1',
};

export interface RestRequest {
  method: string;
  path: string;
  params: string[];
  body: unknown;
  headers: IncomingMessage['headers'];
}

/** What a route answers: a status and a JSON body (or none, for 204). */
export interface RestAnswer {
  status: number;
  body?: unknown;
}

type Handler = (req: RestRequest) => RestAnswer | Promise<RestAnswer>;

/** A request the strict fake refused for a reason the bot could have avoided (a bad body, a rate limit). */
export interface Refusal {
  method: string;
  path: string;
  status: 400 | 429;
  /** The 400's error tree, or the bucket that was over its limit. */
  reason: unknown;
  at: number;
}

export interface FakeRestOptions {
  /**
   * As strict as Discord (the default): bodies checked against Discord's OpenAPI document and limits
   * (400, code 50035), per-route buckets and the global limit enforced (429).
   */
  strict?: boolean;
}

/**
 * Discord's REST API under /api/v10, as routes on a node:http server. Paths are matched after
 * %-decoding (discord.js sends `%40original`). Unknown routes answer 404 with Discord's error shape and
 * are recorded in `unknown`, so a test can see what the bot asked for that the fake does not know.
 */
export class FakeRest {
  private readonly server: Server;
  private readonly routes: { method: string; pattern: RegExp; handler: Handler }[] = [];
  readonly log: { method: string; path: string; body: unknown }[] = [];
  readonly unknown: string[] = [];
  /** Requests refused for a reason the bot could have avoided, oldest first (strict mode). */
  readonly refusals: Refusal[] = [];
  readonly strict: boolean;
  private readonly limits = new RateLimits();

  private constructor(options: FakeRestOptions) {
    this.strict = options.strict ?? true;
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(options: FakeRestOptions = {}): Promise<FakeRest> {
    const rest = new FakeRest(options);
    await new Promise<void>((resolve) => rest.server.listen(0, '127.0.0.1', resolve));
    return rest;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api`;
  }

  /** `path` with `:param` segments, relative to /api/v10. */
  route(method: string, path: string, handler: Handler): void {
    const pattern = new RegExp(`^/api/v10${path.replace(/:[a-z]+/g, '([^/]+)')}$`);
    this.routes.push({ method, pattern, handler });
  }

  /** Files a member attached to an interaction, served as Discord's CDN serves them (no token, no rate limit). */
  private readonly files = new Map<string, { bytes: Buffer; contentType: string }>();

  /** Serves `bytes` at a CDN path (`/ephemeral-attachments/...`); returns its URL. */
  attach(path: string, bytes: Buffer, contentType: string): string {
    this.files.set(path, { bytes, contentType });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** How many times each attached file was downloaded. */
  readonly downloads = new Map<string, number>();

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const file = this.files.get((req.url ?? '/').split('?')[0]!);
    if (file && req.method === 'GET') {
      const path = (req.url ?? '/').split('?')[0]!;
      this.downloads.set(path, (this.downloads.get(path) ?? 0) + 1);
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length });
      res.end(file.bytes);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const method = req.method ?? 'GET';
    this.log.push({ method, path, body });
    let headers: Record<string, string> = LENIENT_HEADERS;
    if (this.strict) {
      const verdict = this.limits.take(method, path, Boolean(req.headers.authorization));
      headers = verdict.headers;
      if (verdict.refused) {
        const { retryAfter, global, bucket } = verdict.refused;
        this.refusals.push({ method, path, status: 429, reason: bucket, at: Date.now() });
        headers = { ...headers, 'retry-after': String(Math.ceil(retryAfter)) };
        const answer = { message: 'You are being rate limited.', retry_after: retryAfter, global };
        this.send(res, { status: 429, body: answer }, headers);
        return;
      }
      const problems = bodyProblems(method, path, body);
      if (problems.length > 0) {
        const answer = invalidFormBody(problems);
        this.refusals.push({ method, path, status: 400, reason: answer.errors, at: Date.now() });
        this.send(res, { status: 400, body: answer }, headers);
        return;
      }
    }
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m || route.method !== method) continue;
      try {
        const answer = await route.handler({ method, path, params: m.slice(1), body, headers: req.headers });
        this.send(res, answer, headers);
      } catch (err) {
        this.send(res, { status: 500, body: { message: String(err), code: 0 } }, headers);
      }
      return;
    }
    this.unknown.push(`${method} ${path}`);
    this.send(res, { status: 404, body: { message: '404: Not Found', code: 0 } }, headers);
  }

  /** Takes the refusals recorded so far (a test that provokes one on purpose takes it). */
  takeRefusals(): Refusal[] {
    return this.refusals.splice(0);
  }

  private send(res: ServerResponse, answer: RestAnswer, headers: Record<string, string>): void {
    if (answer.status === 204 || answer.body === undefined) {
      res.writeHead(answer.status, headers).end();
      return;
    }
    const json = JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'content-type': 'application/json', ...headers });
    res.end(json);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
