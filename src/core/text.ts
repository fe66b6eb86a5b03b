import { z } from 'zod';

/*
 * Text that crosses a boundary (a REST body, a path, a Discord option, a station's stream) and ends
 * up in PostgreSQL, JSON or a Discord message. PostgreSQL refuses NUL in text and JSONB, and a lone
 * UTF-16 surrogate ("\ud800" in JSON) is no character at all: both are refused where they come in,
 * with a 400 naming the field, instead of failing later as a 500.
 */

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const CONTROL = /\p{Cc}/u;

/** The message a refused text gets. */
export const UNSAFE_TEXT_MESSAGE = 'must not contain NUL characters or broken Unicode (a lone surrogate)';

/** Whether `text` can be stored and sent: no NUL and no lone surrogate. */
export function isSafeText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/** Whether `text` is a safe one-liner: {@link isSafeText}, and no control character at all. */
export function isPlainLine(text: string): boolean {
  return isSafeText(text) && !CONTROL.test(text);
}

/** A string schema that refuses NUL and lone surrogates (chain `.min`/`.max`/`.trim` as usual). */
export function safeText() {
  return z.string().refine(isSafeText, { message: UNSAFE_TEXT_MESSAGE });
}

/** A one-line name (a station's, ...): {@link safeText} without any control character. */
export function plainLine() {
  return z.string().refine(isPlainLine, {
    message: 'must be one line of text, without control characters or broken Unicode',
  });
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Text from outside (a stream's ICY title, a station API's answer) made fit to show and keep: lone
 * surrogates become U+FFFD, control characters go (line breaks and tabs become spaces), runs of spaces
 * shrink to one, and the result is cut to `max` graphemes (what a person counts as characters, so an
 * emoji or an accented letter is never split) with "…" marking the cut. Null for empty text.
 */
export function tidyText(text: string, max: number): string | null {
  const clean = text
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/[\t\n\r\v\f]/g, ' ')
    .replace(/\p{Cc}/gu, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  if (clean === '') return null;
  // Cheap exit: fewer UTF-16 units than `max` means fewer graphemes too.
  if (clean.length <= max) return clean;
  const graphemes: string[] = [];
  for (const { segment } of segmenter.segment(clean)) {
    graphemes.push(segment);
    if (graphemes.length > max)
      return `${graphemes
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
  }
  return clean;
}
