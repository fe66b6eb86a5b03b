import { DrizzleQueryError } from 'drizzle-orm';
import { isUserError } from '../../core/errors.ts';

/**
 * A database call that failed, told without its values. drizzle's own error carries the query's whole
 * parameter list in its message (a station's API key and header values, a sealed Spotify token), and
 * the driver's error a `detail` that may quote a row; this keeps the SQL text, the SQLSTATE code and
 * the driver's one-line message with anything it quotes left out: what failed, but no value. A
 * `UserError` under it (the database is unreachable: 503) passes as it is.
 */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
  /** SQLSTATE (e.g. 22021 for a NUL in text), when the driver gave one. */
  readonly code: string | undefined;
  /** The statement, with `$1`-style placeholders and no values. */
  readonly query: string | undefined;
  /** The table and constraint the driver named (identifiers, never values). */
  readonly table: string | undefined;
  readonly constraint: string | undefined;

  constructor(
    message: string,
    fields: { code?: string; query?: string; table?: string; constraint?: string },
  ) {
    super(message);
    this.code = fields.code;
    this.query = fields.query;
    this.table = fields.table;
    this.constraint = fields.constraint;
  }
}

/**
 * Rethrows a failed query's error as a {@link DatabaseError} without parameters or row details; use as
 * `await this.db.insert(...).catch(redacted)`. Errors that are not a query's pass unchanged.
 * @throws always
 */
export function redacted(err: unknown): never {
  if (!(err instanceof DrizzleQueryError)) throw err;
  // The database is not there (yet): that refusal is for the user, as it is (503 with Retry-After).
  if (isUserError(err.cause)) throw err.cause;
  const cause = err.cause as Record<string, unknown> | undefined;
  const text = (key: string) => (typeof cause?.[key] === 'string' ? (cause[key] as string) : undefined);
  // PostgreSQL quotes an offending input in some messages (`invalid input syntax for type uuid: "…"`).
  const reason = text('message')?.replace(/"[^"]*"/g, '"…"') ?? 'the query failed';
  throw new DatabaseError(`database query failed: ${reason}`, {
    code: text('code'),
    query: err.query,
    table: text('table'),
    constraint: text('constraint'),
  });
}
