import { UserError } from '../core/errors.ts';

export const DEFAULT_ACCOUNTS_URL = 'https://accounts.spotify.com';

/**
 * The scopes the bot asks for: reading the player and the devices (`GET /me/player`, devices) and
 * controlling playback (play, pause, next, transfer). Track, album and playlist metadata and
 * `GET /me` need no scope.
 */
export const SPOTIFY_SCOPES = ['user-read-playback-state', 'user-modify-playback-state'] as const;

export interface SpotifyAccountsOptions {
  clientId: string;
  /** Optional with PKCE; when set, the token requests authenticate with it (HTTP Basic). */
  clientSecret?: string | undefined;
  /** Exactly as registered in Spotify's dashboard: PUBLIC_URL + "/auth/spotify/callback" by default. */
  redirectUri: string;
  /** SPOTIFY_ACCOUNTS_URL; default Spotify's. */
  accountsUrl?: string | undefined;
  scopes?: readonly string[];
  fetch?: typeof fetch;
  /** Per token request; default 10 s. */
  timeoutMs?: number;
}

/** A token answer from `/api/token`. */
export interface TokenGrant {
  accessToken: string;
  /** Null when a refresh answer carried none: keep the old one. */
  refreshToken: string | null;
  /** Seconds from now. */
  expiresIn: number;
  scope: string;
}

/** The token endpoint answered `invalid_grant`: the code, verifier or refresh token is no longer good. */
export class InvalidGrantError extends Error {
  override readonly name = 'InvalidGrantError';
}

/** Spotify's accounts service: the authorize URL, the code exchange (PKCE) and refreshes. */
export class SpotifyAccounts {
  private readonly options: SpotifyAccountsOptions;
  private readonly base: string;
  private readonly fetch: typeof fetch;

  constructor(options: SpotifyAccountsOptions) {
    this.options = options;
    this.base = (options.accountsUrl ?? DEFAULT_ACCOUNTS_URL).replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** The URL an admin opens to approve the bot (authorization code flow with PKCE, S256). */
  authorizeUrl(state: string, challenge: string): string {
    const url = new URL(`${this.base}/authorize`);
    url.search = new URLSearchParams({
      client_id: this.options.clientId,
      response_type: 'code',
      redirect_uri: this.options.redirectUri,
      code_challenge_method: 'S256',
      code_challenge: challenge,
      state,
      scope: (this.options.scopes ?? SPOTIFY_SCOPES).join(' '),
    }).toString();
    return url.toString();
  }

  /**
   * Trades the callback's code (and the link's PKCE verifier) for tokens.
   * @throws InvalidGrantError when Spotify refuses the code or verifier; UserError UPSTREAM_ERROR otherwise.
   */
  async exchangeCode(code: string, verifier: string): Promise<TokenGrant> {
    const grant = await this.token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.options.redirectUri,
      code_verifier: verifier,
    });
    if (!grant.refreshToken) throw new UserError('UPSTREAM_ERROR', 'Spotify sent no refresh token.');
    return grant;
  }

  /**
   * A new access token; the answer's refresh token is null when Spotify kept the old one.
   * @throws InvalidGrantError when the refresh token was revoked or expired; UserError UPSTREAM_ERROR otherwise.
   */
  refresh(refreshToken: string): Promise<TokenGrant> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  private async token(params: Record<string, string>): Promise<TokenGrant> {
    const form = new URLSearchParams(params);
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    const { clientId, clientSecret } = this.options;
    if (clientSecret) {
      headers.authorization = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    } else {
      form.set('client_id', clientId);
    }
    let res: Response;
    try {
      res = await this.fetch(`${this.base}/api/token`, {
        method: 'POST',
        headers,
        body: form.toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch {
      throw new UserError('UPSTREAM_ERROR', "Spotify's accounts service cannot be reached; try again later.");
    }
    const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    if (res.ok && body && typeof body.access_token === 'string') {
      return {
        accessToken: body.access_token,
        refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : null,
        expiresIn: typeof body.expires_in === 'number' ? body.expires_in : 3600,
        scope: typeof body.scope === 'string' ? body.scope : '',
      };
    }
    if (body?.error === 'invalid_grant') {
      throw new InvalidGrantError(String(body.error_description ?? 'invalid_grant'));
    }
    throw new UserError('UPSTREAM_ERROR', `Spotify's accounts service refused the request (${res.status}).`, {
      status: res.status,
      error: typeof body?.error === 'string' ? body.error : null,
    });
  }
}
