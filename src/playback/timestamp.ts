import { UserError } from '../core/errors.ts';

/**
 * Reads a time as people type it: `83` (seconds), `1:23`, `1:02:03`, or `1h2m3s`.
 * @throws UserError INVALID_INPUT
 */
export function parseTimestamp(text: string): number {
  const t = text.trim().toLowerCase();
  let seconds: number | null = null;
  if (/^\d{1,6}$/.test(t)) seconds = Number(t);
  else if (/^\d{1,3}(:[0-5]?\d){1,2}$/.test(t)) {
    seconds = t.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
  } else {
    const m = /^(?:(\d{1,3})h)?(?:(\d{1,4})m)?(?:(\d{1,6})s)?$/.exec(t);
    if (m && (m[1] || m[2] || m[3]))
      seconds = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  }
  if (seconds === null) {
    throw new UserError('INVALID_INPUT', `"${text.slice(0, 20)}" is not a time: write it like 1:23 or 83.`);
  }
  return seconds * 1000;
}
