import { UserError } from '../core/errors.ts';

/** Spotify's Web API error body: `{"error": {"status", "message", "reason"?}}`. */
function details(body: unknown): { message: string | null; reason: string | null } {
  const error = (body as { error?: unknown } | null)?.error;
  if (!error || typeof error !== 'object') return { message: null, reason: null };
  const { message, reason } = error as { message?: unknown; reason?: unknown };
  return {
    message: typeof message === 'string' ? message : null,
    reason: typeof reason === 'string' ? reason : null,
  };
}

/**
 * The UserError for a Web API refusal that retries did not cure, in words an admin can act on.
 * Spotify's own message goes in the details, not in the text.
 */
export function toUserError(status: number, body: unknown, retryAfter: string | null): UserError {
  const { message, reason } = details(body);
  const info = { spotify_status: status, spotify_reason: reason, spotify_message: message };
  if (reason === 'NO_ACTIVE_DEVICE') {
    return new UserError(
      'CONFLICT',
      'No Spotify device is active. Open Spotify on the device you stream from, or choose one with /spotify device.',
      info,
    );
  }
  if (reason === 'PREMIUM_REQUIRED') {
    return new UserError(
      'FORBIDDEN',
      'Controlling playback needs Spotify Premium on the linked account.',
      info,
    );
  }
  if (status === 429) {
    return new UserError('RATE_LIMITED', 'Spotify is limiting requests right now; try again in a minute.', {
      ...info,
      retry_after: retryAfter,
    });
  }
  if (status === 401) {
    return new UserError('UPSTREAM_ERROR', 'Spotify refused the access token even after a refresh.', info);
  }
  if (status === 403)
    return new UserError('FORBIDDEN', 'Spotify does not allow this for the linked account.', info);
  if (status === 404) return new UserError('NOT_FOUND', 'Spotify has nothing at that address.', info);
  if (status === 400) return new UserError('INVALID_INPUT', 'Spotify did not accept the request.', info);
  return new UserError(
    'UPSTREAM_ERROR',
    `Spotify answered with an error (${status}); try again later.`,
    info,
  );
}
