import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { UserError } from '../core/errors.ts';
import { checkTarget, type MediaAllowlist } from './address-policy.ts';

export interface SafeFetchOptions {
  allowlist: MediaAllowlist;
  headers?: Record<string, string>;
  maxRedirects?: number;
  /** Time to the response headers. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface SafeResponse {
  /** The URL that answered, after redirects. */
  url: URL;
  status: number;
  headers: IncomingMessage['headers'];
  body: IncomingMessage;
}

/**
 * GET a user-given URL behind the SSRF guard: every hop (redirects included) is checked by
 * `checkTarget`, and the socket connects to the address that was checked. The body is the live
 * response stream (for audio that never ends); the caller destroys it when done.
 * @throws UserError INVALID_URL (bad link or redirect, 4xx), NOT_FOUND (404/410), FORBIDDEN_ADDRESS,
 *   INVALID_INPUT (a header that cannot be sent),
 *   UPSTREAM_ERROR (network error, timeout, 5xx)
 */
export async function safeFetch(input: string | URL, options: SafeFetchOptions): Promise<SafeResponse> {
  let current = parseUrl(input, 'That is not a valid link.');
  const maxRedirects = options.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    const target = await checkTarget(current, options.allowlist);
    const response = await request(target.url, target.addresses[0]!, options);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location) {
      response.resume();
      if (hop >= maxRedirects) throw new UserError('INVALID_URL', 'That link redirects too many times.');
      current = parseUrl(location, 'That link redirects to an address that is not a valid link.', current);
      continue;
    }
    if (status >= 400) {
      response.resume();
      // A dead or refused link is the member's input (4xx); a failing server upstream is a 502.
      if (status === 404 || status === 410)
        throw new UserError('NOT_FOUND', `Nothing is at that link (the server answered ${status}).`, {
          status,
        });
      if (status < 500)
        throw new UserError('INVALID_URL', `The server refused that link (it answered ${status}).`, {
          status,
        });
      throw new UserError('UPSTREAM_ERROR', `The server behind that link failed (it answered ${status}).`, {
        status,
      });
    }
    return { url: current, status, headers: response.headers, body: response };
  }
}

/** @throws UserError INVALID_URL with `message` when `input` (relative to `base`) is no URL */
function parseUrl(input: string | URL, message: string, base?: URL): URL {
  try {
    return new URL(input, base);
  } catch {
    throw new UserError('INVALID_URL', message);
  }
}

function request(
  url: URL,
  pinned: { address: string; family: 4 | 6 },
  options: SafeFetchOptions,
): Promise<IncomingMessage> {
  const lookupPinned: LookupFunction = (_host, opts, callback) => {
    if ((opts as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [pinned]);
    } else {
      callback(null, pinned.address, pinned.family);
    }
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let req: ReturnType<typeof client.get>;
    try {
      req = client.get(url, {
        headers: { 'user-agent': 'UnifiedMusic/0.1', ...options.headers },
        lookup: lookupPinned,
        signal: options.signal,
      });
    } catch (err) {
      // node:http checks header names and values before anything is sent (ERR_INVALID_HTTP_TOKEN,
      // ERR_INVALID_CHAR): a station saved before headers were checked at save time ends here.
      reject(
        new UserError('INVALID_INPUT', 'A request header of this link cannot be sent (bad name or value).', {
          reason: (err as NodeJS.ErrnoException).code ?? 'invalid header',
        }),
      );
      return;
    }
    const timer = setTimeout(() => {
      req.destroy();
      reject(new UserError('UPSTREAM_ERROR', 'That link did not answer in time.'));
    }, options.timeoutMs ?? 10_000);
    req.once('response', (res) => {
      clearTimeout(timer);
      resolve(res);
    });
    req.once('error', (err) => {
      clearTimeout(timer);
      reject(
        err instanceof UserError
          ? err
          : new UserError(
              'UPSTREAM_ERROR',
              `That link could not be reached (${(err as NodeJS.ErrnoException).code ?? err.message}).`,
            ),
      );
    });
  });
}
