/**
 * The overlay's lyrics line (`?lyrics=1`), for OBS's Chromium: type-checked like overlay-client.ts and
 * sent inline as a module script before it. It hears what plays from overlay-client.ts (a `um:now`
 * event on the document with the now-playing frame and when it arrived), asks the side-server for the
 * song's synced lines (`/overlay/{id}/lyrics?key=`, never another origin: the page's policy allows
 * none), and shows the line sung at the song's position, which runs on by itself unless paused; a
 * pause, seek or resume arrives as a new frame and the line follows it.
 */
import type { NowPlayingData } from '../events.ts';
import type { OverlayPageConfig } from '../page.ts';

interface Line {
  ms: number;
  text: string;
}
/** The route's answer (in the envelope's `data`). */
interface LyricsAnswer {
  track: { name: string; artist: string | null } | null;
  instrumental: boolean;
  lines: Line[];
}
/** What overlay-client.ts sends with each now-playing frame. */
export interface NowEventDetail {
  now: NowPlayingData | null;
  /** `performance.now()` when the frame arrived. */
  at: number;
}

const lyricsCfg = JSON.parse(document.getElementById('um-config')?.textContent ?? '{}') as OverlayPageConfig;
const box = document.querySelector<HTMLElement>('.um-lyrics');
const current = document.querySelector<HTMLElement>('.um-lyrics-line');
const upcoming = document.querySelector<HTMLElement>('.um-lyrics-next');
const lyricsKey = new URLSearchParams(location.search).get('key') || '';

let playing: NowPlayingData | null = null;
let playingAt = 0;
/** The song the lines are for ("name|artist"), and its lines (empty: none known, or none synced). */
let songKey = '';
let lines: Line[] = [];
let retry: ReturnType<typeof setTimeout> | undefined;

function keyOf(track: { name: string; artist: string | null } | null | undefined): string {
  return track ? `${track.name}|${track.artist ?? ''}` : '';
}
function put(node: HTMLElement | null, value: string): void {
  if (node && node.textContent !== value) node.textContent = value;
}
/** The index of the last line started at `ms`, or -1 before the first. */
function lineAt(ms: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((lines[mid]?.ms ?? 0) <= ms) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
function position(): number | null {
  if (!playing?.track || playing.position_ms == null) return null;
  return playing.position_ms + (playing.paused ? 0 : performance.now() - playingAt);
}
function renderLyrics(): void {
  if (!box) return;
  const pos = position();
  const show = lines.length > 0 && pos != null;
  box.hidden = !show;
  if (!show) {
    box.dataset.index = '';
    return;
  }
  const i = lineAt(pos);
  box.dataset.index = String(i);
  put(current, i >= 0 ? lines[i]?.text || '\u266a' : '\u266a');
  put(upcoming, lines[i + 1]?.text ?? '');
}
async function load(forKey: string): Promise<void> {
  clearTimeout(retry);
  const again = (ms: number) => {
    retry = setTimeout(() => {
      if (songKey === forKey) void load(forKey);
    }, ms);
  };
  try {
    const res = await fetch(
      `/overlay/${encodeURIComponent(lyricsCfg.communityId)}/lyrics?key=${encodeURIComponent(lyricsKey)}`,
      { cache: 'no-store' },
    );
    if (songKey !== forKey) return;
    if (res.status === 404) {
      lines = [];
    } else if (!res.ok) {
      again(15_000);
      return;
    } else {
      const answer = ((await res.json()) as { data: LyricsAnswer }).data;
      if (songKey !== forKey) return;
      // The server moved on to another song before the page did (or the other way round): ask again.
      if (keyOf(answer.track) !== forKey) {
        again(1_000);
        return;
      }
      lines = answer.lines;
    }
  } catch {
    again(15_000);
    return;
  }
  renderLyrics();
}

document.addEventListener('um:now', (e) => {
  const detail = (e as CustomEvent<NowEventDetail>).detail;
  playing = detail.now;
  playingAt = detail.at;
  const k = keyOf(playing?.track);
  if (k !== songKey) {
    songKey = k;
    lines = [];
    if (k) void load(k);
  }
  renderLyrics();
});
setInterval(renderLyrics, 100);
