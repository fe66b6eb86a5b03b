/**
 * LRC, the time-synced lyrics format LRCLIB serves as `syncedLyrics`: lines like
 * `[01:02.34]words`, several time tags on one line (`[00:12.00][01:30.00]chorus`), ID tags such as
 * `[ar:...]` and `[offset:+250]`, and (enhanced LRC) word tags `<00:12.50>` inside a line.
 */

/** One sung line: where it starts (ms from the start of the song) and its words (may be empty: a pause). */
export interface LrcLine {
  ms: number;
  text: string;
}

const TIME_TAG = /\[(\d{1,3}):(\d{1,2})(?:[.:](\d{1,3}))?\]/y;
const ID_TAG = /^\[([a-z#]+):(.*)\]\s*$/i;
const WORD_TAG = /<\d{1,3}:\d{1,2}(?:[.:]\d{1,3})?>/g;

function tagMs(min: string, sec: string, frac: string | undefined): number {
  // ".5" is half a second, ".05" five hundredths, ".005" five thousandths.
  const fracMs = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  return Number(min) * 60_000 + Number(sec) * 1000 + fracMs;
}

/**
 * The timed lines of an LRC text, in time order (lines with the same time keep their order). The
 * `[offset:n]` tag (milliseconds; positive shows lyrics sooner, as the format defines it) is applied;
 * times never go below 0. Lines without a time tag and unknown tags are ignored, word tags removed.
 */
export function parseLrc(text: string): LrcLine[] {
  let offset = 0;
  const lines: LrcLine[] = [];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (!line.startsWith('[')) continue;
    const times: number[] = [];
    TIME_TAG.lastIndex = 0;
    let match = TIME_TAG.exec(line);
    let end = 0;
    while (match) {
      times.push(tagMs(match[1]!, match[2]!, match[3]));
      end = TIME_TAG.lastIndex;
      match = TIME_TAG.exec(line);
    }
    if (times.length === 0) {
      const id = ID_TAG.exec(line);
      if (id && id[1]!.toLowerCase() === 'offset') {
        const n = Number(id[2]!.trim());
        if (Number.isFinite(n)) offset = Math.trunc(n);
      }
      continue;
    }
    const words = line.slice(end).replace(WORD_TAG, '').replace(/\s+/g, ' ').trim();
    for (const ms of times) lines.push({ ms, text: words });
  }
  return lines
    .map((l, i) => ({ ...l, i }))
    .sort((a, b) => a.ms - b.ms || a.i - b.i)
    .map(({ ms, text: t }) => ({ ms: Math.max(0, ms - offset), text: t }));
}

/** The index of the line sung at `positionMs` (the last one started), or -1 before the first. */
export function lineAt(lines: readonly LrcLine[], positionMs: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid]!.ms <= positionMs) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** `m:ss.cc`, as a time tag shows it. */
export function lrcTime(ms: number): string {
  const cs = Math.floor(ms / 10);
  const m = Math.floor(cs / 6000);
  const s = Math.floor((cs % 6000) / 100);
  const c = cs % 100;
  return `${m}:${String(s).padStart(2, '0')}.${String(c).padStart(2, '0')}`;
}
