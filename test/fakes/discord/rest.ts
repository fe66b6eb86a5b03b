import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(): Promise<FakeRest> {
    const rest = new FakeRest();
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
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
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m || route.method !== method) continue;
      try {
        const answer = await route.handler({ method, path, params: m.slice(1), body, headers: req.headers });
        this.send(res, answer);
      } catch (err) {
        this.send(res, { status: 500, body: { message: String(err), code: 0 } });
      }
      return;
    }
    this.unknown.push(`${method} ${path}`);
    this.send(res, { status: 404, body: { message: '404: Not Found', code: 0 } });
  }

  private send(res: ServerResponse, answer: RestAnswer): void {
    if (answer.status === 204 || answer.body === undefined) {
      res.writeHead(answer.status).end();
      return;
    }
    const json = JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'content-type': 'application/json',
      'x-ratelimit-limit': '50',
      'x-ratelimit-remaining': '49',
      'x-ratelimit-reset-after': '1',
    });
    res.end(json);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
