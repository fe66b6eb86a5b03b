import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, retryAfterMs } from '../../../src/spotify/client.ts';
import { toUserError } from '../../../src/spotify/errors.ts';

describe('Retry-After', () => {
  it('reads seconds, caps them at 30 s and never waits less than 1 s', () => {
    expect(retryAfterMs('1')).toBe(1_000);
    expect(retryAfterMs('2.5')).toBe(2_500);
    expect(retryAfterMs('120')).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs('0')).toBe(1_000);
    expect(retryAfterMs(null)).toBe(1_000);
    expect(retryAfterMs('soon')).toBe(1_000);
  });

  it('reads an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(retryAfterMs(new Date(now + 5_000).toUTCString(), now)).toBe(5_000);
  });
});

describe('Web API refusals', () => {
  const body = (status: number, reason?: string) => ({ error: { status, message: 'm', reason } });

  it('says how to get an active device', () => {
    const err = toUserError(404, body(404, 'NO_ACTIVE_DEVICE'), null);
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toMatch(/Open Spotify/);
  });

  it('says Premium is needed', () => {
    expect(toUserError(403, body(403, 'PREMIUM_REQUIRED'), null).message).toMatch(/Premium/);
  });

  it.each([
    [404, 'NOT_FOUND'],
    [403, 'FORBIDDEN'],
    [429, 'RATE_LIMITED'],
    [401, 'UPSTREAM_ERROR'],
    [500, 'UPSTREAM_ERROR'],
    [503, 'UPSTREAM_ERROR'],
  ])('maps %i to %s and keeps Spotify’s words in the details only', (status, code) => {
    const err = toUserError(status, body(status), null);
    expect(err.code).toBe(code);
    expect(err.details).toMatchObject({ spotify_status: status, spotify_message: 'm' });
  });
});
