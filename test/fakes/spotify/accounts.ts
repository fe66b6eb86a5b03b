import { createHash, randomBytes } from 'node:crypto';
import type { Answer, FakeSpotify } from './index.ts';

/** An authorization code waiting for its exchange. */
export interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scope: string;
  expiresAt: number;
}

const CODE_TTL_MS = 10 * 60 * 1000;

/**
 * GET /authorize as Spotify's accounts service answers it once the user approved: a redirect to
 * `redirect_uri` with a one-time `code` (or `error=access_denied` when the fake's user declines).
 * Only the PKCE flow (S256) is accepted; a wrong client or missing parameter gets Spotify's HTML 400.
 */
export function authorize(fake: FakeSpotify, query: URLSearchParams): Answer {
  const get = (name: string) => query.get(name) ?? '';
  if (get('client_id') !== fake.clientId) return page(400, 'INVALID_CLIENT: Invalid client');
  const redirectUri = get('redirect_uri');
  if (!/^https?:\/\//.test(redirectUri)) return page(400, 'INVALID_CLIENT: Invalid redirect URI');
  if (fake.redirectUri !== null && redirectUri !== fake.redirectUri) {
    return page(400, 'INVALID_CLIENT: Invalid redirect URI');
  }
  if (get('response_type') !== 'code') return page(400, 'unsupported_response_type');
  if (get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(get('code_challenge'))) {
    return page(400, 'invalid_request: code_challenge');
  }
  const back = new URL(redirectUri);
  if (query.has('state')) back.searchParams.set('state', get('state'));
  if (fake.declineNext) {
    fake.declineNext = false;
    back.searchParams.set('error', 'access_denied');
  } else {
    const code = randomBytes(24).toString('base64url');
    fake.codes.set(code, {
      clientId: fake.clientId,
      redirectUri,
      challenge: get('code_challenge'),
      scope: get('scope'),
      expiresAt: fake.clock.now() + CODE_TTL_MS,
    });
    back.searchParams.set('code', code);
  }
  return { status: 302, headers: { location: back.toString() } };
}

/** POST /api/token: the authorization_code (with PKCE verification) and refresh_token grants. */
export function token(fake: FakeSpotify, headers: Record<string, string | undefined>, raw: string): Answer {
  if (!/^application\/x-www-form-urlencoded/i.test(headers['content-type'] ?? '')) {
    return oauthError(400, 'invalid_request', 'form body expected');
  }
  const form = new URLSearchParams(raw);
  const basic = /^Basic\s+(.+)$/i.exec(headers.authorization ?? '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    if (id !== fake.clientId || secret !== fake.clientSecret)
      return oauthError(400, 'invalid_client', 'Invalid client');
  } else if (form.get('client_id') !== fake.clientId) {
    return oauthError(400, 'invalid_client', 'Invalid client');
  }
  const grant = form.get('grant_type');
  if (grant === 'authorization_code') return exchange(fake, form);
  if (grant === 'refresh_token') return refresh(fake, form);
  return oauthError(400, 'unsupported_grant_type', `grant_type ${grant} is not supported`);
}

function exchange(fake: FakeSpotify, form: URLSearchParams): Answer {
  const code = form.get('code') ?? '';
  const pending = fake.codes.get(code);
  fake.codes.delete(code); // one use, whatever happens next
  if (!pending || pending.expiresAt <= fake.clock.now()) {
    return oauthError(400, 'invalid_grant', 'Invalid authorization code');
  }
  if (form.get('redirect_uri') !== pending.redirectUri)
    return oauthError(400, 'invalid_grant', 'Invalid redirect URI');
  const verifier = form.get('code_verifier') ?? '';
  const challenge = createHash('sha256').update(verifier, 'ascii').digest('base64url');
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || challenge !== pending.challenge) {
    return oauthError(400, 'invalid_grant', 'code_verifier was incorrect');
  }
  const refreshToken = fake.issueRefreshToken(pending.scope);
  return { status: 200, json: { ...fake.issueAccessToken(pending.scope), refresh_token: refreshToken } };
}

function refresh(fake: FakeSpotify, form: URLSearchParams): Answer {
  const old = form.get('refresh_token') ?? '';
  if (!fake.refreshTokens.has(old)) return oauthError(400, 'invalid_grant', 'Refresh token revoked');
  const scope = fake.refreshTokens.get(old) ?? '';
  const answer: Record<string, unknown> = { ...fake.issueAccessToken(scope) };
  if (fake.rotateRefreshTokens) {
    fake.refreshTokens.delete(old);
    answer.refresh_token = fake.issueRefreshToken(scope);
  }
  return { status: 200, json: answer };
}

function oauthError(status: number, error: string, description: string): Answer {
  return { status, json: { error, error_description: description } };
}

function page(status: number, text: string): Answer {
  return { status, html: `<!doctype html><title>Error</title><p>${text}</p>` };
}
