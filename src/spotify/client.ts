import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../core/clock.ts';
import { UserError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { SpotifyAccount, SpotifyTokenRepository } from '../storage/db/spotify-tokens.ts';
import { InvalidGrantError, type SpotifyAccounts } from './accounts.ts';
import { toUserError } from './errors.ts';

export const DEFAULT_API_URL = 'https://api.spotify.com/v1';
/** Refresh before any call when the access token expires within this long (the seed's 5 minutes). */
export const REFRESH_AHEAD_MS = 300_000;
/** Longest wait for a 429's Retry-After. */
export const MAX_RETRY_AFTER_MS = 30_000;
/** 429 answers one call sits out before it gives up. */
const MAX_RATE_LIMIT_RETRIES = 3;

export interface SpotifyClientOptions {
  tokens: SpotifyTokenRepository;
  accounts: Pick<SpotifyAccounts, 'refresh'>;
  /** SPOTIFY_API_URL; default Spotify's. */
  apiUrl?: string | undefined;
  clock: Clock;
  logger: Logger;
  fetch?: typeof fetch;
  /** Waits out a Retry-After; the default timer ends early (rejecting) when the client closes. */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** Told when Spotify answered invalid_grant and the guild's link was deleted (to tell its admins). */
  onUnlinked?: (guildId: string) => void;
}

export interface ApiRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** After the API base, e.g. `/me/player/play`. */
  path: string;
  query?: Record<string, string | number | null | undefined>;
  /** Sent as JSON when present. */
  body?: unknown;
}

export const NOT_LINKED_MESSAGE =
  'No Spotify account is linked to this server. An admin can link one with /spotify link.';
const REVOKED_MESSAGE =
  'Spotify no longer accepts the linked account (its access was revoked or expired), so the link was ' +
  'removed. An admin can link the account again with /spotify link.';

/**
 * Spotify's Web API with a guild's linked account: the token is refreshed when it expires within
 * five minutes, a 401 refreshes and retries once, a 429 waits for Retry-After (at most 30 s) and
 * retries, and `invalid_grant` on a refresh deletes the link. Tokens are read from the repository
 * on every call (never cached elsewhere); refreshes of one guild are shared by concurrent calls.
 */
export class SpotifyWebApi {
  private readonly options: SpotifyClientOptions;
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private readonly refreshing = new Map<string, Promise<SpotifyAccount>>();
  private readonly closing = new AbortController();

  constructor(options: SpotifyClientOptions) {
    this.options = options;
    this.base = (options.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /**
   * One Web API call; resolves to the parsed JSON answer, or null for an empty one (204).
   * @throws UserError SPOTIFY_NOT_LINKED when no account is linked or the link was revoked;
   *   RATE_LIMITED, FORBIDDEN, NOT_FOUND, CONFLICT or UPSTREAM_ERROR when Spotify refuses.
   */
  async request<T = unknown>(guildId: string, req: ApiRequest): Promise<T | null> {
    let account = await this.account(guildId);
    if (account.expiresAt - this.options.clock.now() <= REFRESH_AHEAD_MS) {
      account = await this.refresh(account);
    }
    let refreshedAfter401 = false;
    let rateLimited = 0;
    for (;;) {
      const res = await this.send(account.accessToken, req);
      if (res.status === 401 && !refreshedAfter401) {
        refreshedAfter401 = true;
        await res.body?.cancel();
        account = await this.refresh(account);
        continue;
      }
      if (res.status === 429 && rateLimited < MAX_RATE_LIMIT_RETRIES) {
        rateLimited += 1;
        await res.body?.cancel();
        const ms = retryAfterMs(res.headers.get('retry-after'));
        this.options.logger.warn({ guildId, path: req.path, waitMs: ms }, 'Spotify rate limit; waiting');
        await this.wait(ms);
        continue;
      }
      return read<T>(res);
    }
  }

  /**
   * One call with a token that is not stored yet (the account's name while linking): no refresh
   * and no retry. @throws as {@link request}
   */
  async requestWithToken<T = unknown>(accessToken: string, req: ApiRequest): Promise<T | null> {
    return read<T>(await this.send(accessToken, req));
  }

  /** Ends waits under way (they reject) and refuses new calls; for shutdown. */
  close(): void {
    this.closing.abort();
  }

  private async account(guildId: string): Promise<SpotifyAccount> {
    const account = await this.options.tokens.get(guildId);
    if (!account) throw new UserError('SPOTIFY_NOT_LINKED', NOT_LINKED_MESSAGE);
    return account;
  }

  /** A fresh access token, shared by every call of the guild that needs one at the same time. */
  private refresh(account: SpotifyAccount): Promise<SpotifyAccount> {
    const running = this.refreshing.get(account.guildId);
    if (running) return running;
    const started = this.doRefresh(account).finally(() => this.refreshing.delete(account.guildId));
    this.refreshing.set(account.guildId, started);
    return started;
  }

  private async doRefresh(account: SpotifyAccount): Promise<SpotifyAccount> {
    const { guildId } = account;
    const log = this.options.logger.child({ guildId });
    let grant: Awaited<ReturnType<SpotifyAccounts['refresh']>>;
    try {
      grant = await this.options.accounts.refresh(account.refreshToken);
    } catch (err) {
      if (!(err instanceof InvalidGrantError)) throw err;
      await this.options.tokens.delete(guildId);
      log.warn({ reason: err.message }, 'Spotify refused the refresh token (invalid_grant); link removed');
      this.options.onUnlinked?.(guildId);
      throw new UserError('SPOTIFY_NOT_LINKED', REVOKED_MESSAGE);
    }
    const tokens = {
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken ?? account.refreshToken,
      expiresAt: this.options.clock.now() + grant.expiresIn * 1000,
      scope: grant.scope || account.scope,
    };
    if (!(await this.options.tokens.updateTokens(guildId, tokens))) {
      throw new UserError('SPOTIFY_NOT_LINKED', NOT_LINKED_MESSAGE);
    }
    log.debug({ rotated: grant.refreshToken !== null }, 'Spotify access token refreshed');
    return { ...account, ...tokens };
  }

  private async send(accessToken: string, req: ApiRequest): Promise<Response> {
    if (this.closing.signal.aborted) throw shuttingDown();
    const url = new URL(`${this.base}${req.path}`);
    for (const [name, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${accessToken}`,
      accept: 'application/json',
    };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.fetch(url, {
        method: req.method,
        headers,
        // No body: fetch sends Content-Length 0 on PUT and POST, as Spotify's player routes want.
        body: req.body === undefined ? null : JSON.stringify(req.body),
        signal: AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.options.timeoutMs ?? 10_000)]),
      });
    } catch {
      if (this.closing.signal.aborted) throw shuttingDown();
      throw new UserError('UPSTREAM_ERROR', 'Spotify cannot be reached right now; try again in a moment.');
    }
  }

  private async wait(ms: number): Promise<void> {
    const signal = this.closing.signal;
    try {
      await (this.options.wait ?? ((t, s) => delay(t, undefined, { signal: s })))(ms, signal);
    } catch (err) {
      if (signal.aborted) throw shuttingDown();
      throw err;
    }
  }
}

/** Retry-After in milliseconds: seconds (or an HTTP date), at least 1 s, at most 30 s. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  let seconds = Number(header);
  if (header !== null && !Number.isFinite(seconds)) seconds = (Date.parse(header) - now) / 1000;
  if (!Number.isFinite(seconds) || seconds < 1) seconds = 1;
  return Math.min(Math.ceil(seconds * 1000), MAX_RETRY_AFTER_MS);
}

async function read<T>(res: Response): Promise<T | null> {
  const text = await res.text();
  const body = text ? parseJson(text) : null;
  if (res.ok) return body as T | null;
  throw toUserError(res.status, body, res.headers.get('retry-after'));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function shuttingDown(): UserError {
  return new UserError('UNAVAILABLE', 'The bot is shutting down; try again in a moment.');
}
