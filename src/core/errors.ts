/**
 * Expected failures that a person should read. Only a `UserError` reaches a user: the Discord router
 * turns it into an ephemeral reply and the REST API into a 4xx JSON envelope. Anything else is a bug
 * and is answered generically with a reference id.
 */

/** Stable error codes with the HTTP status the REST API answers for each. */
export const ERROR_CODES = {
  INVALID_INPUT: 400,
  INVALID_URL: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  FORBIDDEN_ADDRESS: 403,
  /** The guild's request rules do not let this member request songs (everyone, a role, DJs only). */
  REQUESTS_RESTRICTED: 403,
  NOT_FOUND: 404,
  ITEM_NOT_FOUND: 404,
  STATION_NOT_FOUND: 404,
  PLAYLIST_NOT_FOUND: 404,
  QUEUE_EMPTY: 404,
  NOTHING_PLAYING: 404,
  ALREADY_VOTED: 409,
  NOT_VOTED: 409,
  QUEUE_FULL: 409,
  USER_QUEUE_LIMIT: 409,
  NOT_CONNECTED: 409,
  NOT_IN_VOICE: 409,
  CONFLICT: 409,
  PLAYLIST_EXISTS: 409,
  PLAYLIST_LIMIT: 409,
  SPOTIFY_NOT_LINKED: 409,
  PAYLOAD_TOO_LARGE: 413,
  /** Request rules about the track itself: its length, a live stream, its source, a block list. */
  TRACK_TOO_LONG: 422,
  LIVE_NOT_ALLOWED: 422,
  SOURCE_NOT_ALLOWED: 422,
  BLOCKED: 422,
  RATE_LIMITED: 429,
  /** The requester's cooldown between requests has not run out (details.retry_after_seconds). */
  REQUEST_COOLDOWN: 429,
  UPSTREAM_ERROR: 502,
  UNAVAILABLE: 503,
  /** No bot process of the fleet answered for the guild (its owner is down or restarting). */
  BOT_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class UserError extends Error {
  override readonly name = 'UserError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }

  /** HTTP status the REST API answers for this error. */
  get status(): number {
    return ERROR_CODES[this.code];
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}
