import { z } from 'zod';

/*
 * Request headers a station may add (custom_headers): checked when the station is saved, with the rules
 * node:http applies when it sends them, so that a saved station never fails at play.
 */

/** RFC 9110 token: a header name. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What node:http sends as a field value: tab, visible ASCII, space and obs-text; no CR, LF or NUL. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export function isHeaderName(name: string): boolean {
  return TOKEN.test(name);
}

export function isHeaderValue(value: string): boolean {
  return FIELD_VALUE.test(value);
}

/** A header name, e.g. `X-Api-Key`. */
export const headerNameSchema = z
  .string()
  .min(1)
  .max(200)
  .refine(isHeaderName, { message: "must be a header name (letters, digits and !#$%&'*+.^_`|~-, no colon)" });

/** A header value: one line. */
export const headerValueSchema = z.string().max(4096).refine(isHeaderValue, {
  message: 'must be one line of text (no CR, LF, NUL or other control characters)',
});

/** A station's custom headers: names and values as node:http can send them. */
export const headersSchema = z.record(headerNameSchema, headerValueSchema);
