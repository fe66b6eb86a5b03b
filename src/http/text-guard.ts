import { UserError } from '../core/errors.ts';

/** JSON bodies nest no deeper than this; no route needs more than a few levels. */
export const MAX_BODY_DEPTH = 32;

/**
 * Refuses text no route can use before it reaches a store: NUL characters (PostgreSQL text cannot hold
 * them) and unpaired UTF-16 surrogates (not Unicode; they cannot be stored or sent on as UTF-8), in
 * any string or key of a JSON body, nested deeper than {@link MAX_BODY_DEPTH} levels. The walk uses its
 * own stack, so a deeply nested body cannot exhaust the call stack.
 * @throws UserError INVALID_INPUT naming the first bad field
 */
export function checkBody(body: unknown): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: body, path: 'body', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      checkText(path, value);
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_BODY_DEPTH) {
        throw new UserError(
          'INVALID_INPUT',
          `${path}: nested too deeply (at most ${MAX_BODY_DEPTH} levels).`,
        );
      }
      for (const [key, child] of Object.entries(value)) {
        checkText(`${path} key`, key);
        stack.push({ value: child, path: `${path}.${key.slice(0, 40)}`, depth: depth + 1 });
      }
    }
  }
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** @throws UserError INVALID_INPUT when the text holds a NUL or an unpaired surrogate */
export function checkText(field: string, text: string): void {
  if (text.includes('\u0000') || LONE_SURROGATE.test(text)) {
    throw new UserError(
      'INVALID_INPUT',
      `${field.slice(0, 80)}: must not contain NUL characters or unpaired surrogates.`,
      { field: field.slice(0, 80) },
    );
  }
}
