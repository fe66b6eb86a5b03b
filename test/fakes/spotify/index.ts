import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../../../src/core/clock.ts';
import { authorize, type PendingCode, token } from './accounts.ts';
import { FakeCatalog } from './catalog.ts';
import { FakeDevice } from './device.ts';
import { apiError, webApi } from './web-api.ts';

export { FakeCatalog, type FakeTrack, spotifyId } from './catalog.ts';
export { FakeDevice } from './device.ts';

/** What a handler answers. */
export interface Answer {
  status: number;
  json?: unknown;
  html?: string;
  headers?: Record<string, string>;
}

/** One request the fake received, with its answer's status. */
export interface Call {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The parsed JSON body, or the form fields of a token request. */
  body: unknown;
  /** For /api/token: how the client authenticated. */
  clientAuth?: 'basic' | 'body';
  /** The bearer token of a Web API call. */
  bearer?: string;
  status: number;
}

/** A failure the next Web API call gets instead of its answer (429 carries Retry-After in seconds). */
export type Fault =
  | { status: 401 }
  | { status: 429; retryAfter: number }
  | { status: number; message?: string };

export interface FakeSpotifyOptions {
  clientId?: string;
  /** Set: token requests may authenticate with HTTP Basic. Either way client_id in the body is accepted. */
  clientSecret?: string;
  /** Checks access and code expiry; share a ManualClock with the bot to move time in step. */
  clock?: Clock;
  /** Lifetime of an access token in seconds (Spotify: 3600). */
  accessTokenSeconds?: number;
  /** When true a refresh answers with a new refresh token (and the old one stops working). */
  rotateRefreshTokens?: boolean;
  /** Set: /authorize refuses any other redirect URI, as Spotify refuses unregistered ones. */
  redirectUri?: string;
}

/**
 * Spotify's accounts service (`/authorize`, `/api/token`) and Web API (`/v1/...`) on one local port,
 * with one user, their devices and a catalog. Tokens expire by the fake's clock; tests inject faults
 * ({@link failNext}, {@link revokeRefreshTokens}) and read {@link calls} / {@link trail}.
 */
export class FakeSpotify extends EventEmitter<{ call: [Call] }> {
  readonly clientId: string;
  readonly clientSecret: string | null;
  readonly clock: Clock;
  readonly redirectUri: string | null;
  accessTokenSeconds: number;
  rotateRefreshTokens: boolean;
  user = { id: 'streamer', displayName: 'Stream Account' };
  /** The next /authorize redirects back with `error=access_denied`. */
  declineNext = false;
  readonly catalog = new FakeCatalog();
  readonly devices: FakeDevice[] = [];
  readonly calls: Call[] = [];
  readonly codes = new Map<string, PendingCode>();
  /** Access token -> expiry (ms). */
  readonly accessTokens = new Map<string, number>();
  /** Refresh token -> scope. */
  readonly refreshTokens = new Map<string, string>();
  private readonly faults: Fault[] = [];
  private readonly server: Server;

  private constructor(options: FakeSpotifyOptions) {
    super();
    this.clientId = options.clientId ?? 'fake-client-id';
    this.clientSecret = options.clientSecret ?? null;
    this.clock = options.clock ?? systemClock;
    this.redirectUri = options.redirectUri ?? null;
    this.accessTokenSeconds = options.accessTokenSeconds ?? 3600;
    this.rotateRefreshTokens = options.rotateRefreshTokens ?? false;
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(options: FakeSpotifyOptions = {}): Promise<FakeSpotify> {
    const fake = new FakeSpotify(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** SPOTIFY_ACCOUNTS_URL */
  get accountsUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** SPOTIFY_API_URL */
  get apiUrl(): string {
    return `${this.accountsUrl}/v1`;
  }

  /** A device of the user's (the first one added is not active until something plays on it). */
  addDevice(name: string, type = 'Computer'): FakeDevice {
    const device = new FakeDevice({ id: randomBytes(20).toString('hex'), name, type, clock: this.clock });
    this.devices.push(device);
    return device;
  }

  /** The next Web API calls fail with these, in order. */
  failNext(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** Every refresh token stops working: the next refresh answers 400 invalid_grant. */
  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  /** Every access token issued so far stops working (401 "The access token expired"). */
  expireAccessTokens(): void {
    for (const t of this.accessTokens.keys()) this.accessTokens.set(t, 0);
  }

  /** The calls as `METHOD /path status` (token calls name their grant), in order. */
  get trail(): string[] {
    return this.calls.map((c) => {
      const grant = c.path === '/api/token' ? ` ${(c.body as Record<string, string>).grant_type}` : '';
      return `${c.method} ${c.path}${grant} ${c.status}`;
    });
  }

  issueAccessToken(scope: string) {
    const accessToken = `fake-access-${randomBytes(18).toString('hex')}`;
    this.accessTokens.set(accessToken, this.clock.now() + this.accessTokenSeconds * 1000);
    return { access_token: accessToken, token_type: 'Bearer', scope, expires_in: this.accessTokenSeconds };
  }

  issueRefreshToken(scope: string): string {
    const refreshToken = `fake-refresh-${randomBytes(24).toString('hex')}`;
    this.refreshTokens.set(refreshToken, scope);
    return refreshToken;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    const call: Call = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: null,
      status: 0,
    };
    let answer: Answer;
    if (url.pathname === '/authorize' && method === 'GET') {
      answer = authorize(this, url.searchParams);
    } else if (url.pathname === '/api/token' && method === 'POST') {
      call.body = Object.fromEntries(new URLSearchParams(raw));
      call.clientAuth = req.headers.authorization ? 'basic' : 'body';
      answer = token(this, req.headers as Record<string, string | undefined>, raw);
    } else if (url.pathname.startsWith('/v1/')) {
      call.body = raw ? safeJson(raw) : null;
      call.bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      answer = this.api(method, url, call);
    } else {
      answer = apiError(404, 'Service not found');
    }
    call.status = answer.status;
    this.calls.push(call);
    this.emit('call', call);
    send(res, answer);
  }

  private api(method: string, url: URL, call: Call): Answer {
    const expiry = call.bearer ? this.accessTokens.get(call.bearer) : undefined;
    if (expiry === undefined) return apiError(401, 'Invalid access token');
    if (expiry <= this.clock.now()) return apiError(401, 'The access token expired');
    const fault = this.faults.shift();
    if (fault?.status === 429) {
      const seconds = 'retryAfter' in fault ? fault.retryAfter : 1;
      return { ...apiError(429, 'API rate limit exceeded'), headers: { 'retry-after': String(seconds) } };
    }
    if (fault) return apiError(fault.status, ('message' in fault && fault.message) || 'Injected failure');
    return webApi(this, method, url.pathname, url.searchParams, call.body);
  }
}

function send(res: ServerResponse, answer: Answer): void {
  const headers: Record<string, string> = { ...answer.headers };
  let body = '';
  if (answer.json !== undefined) {
    body = JSON.stringify(answer.json);
    headers['content-type'] = 'application/json; charset=utf-8';
  } else if (answer.html !== undefined) {
    body = answer.html;
    headers['content-type'] = 'text/html; charset=utf-8';
  }
  res.writeHead(answer.status, headers).end(body);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
