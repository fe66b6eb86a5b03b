/**
 * The overlay page's script, for OBS's Chromium: ES2022 with the DOM, type-checked by
 * src/overlay/browser/tsconfig.json against the wire types the server sends. The server strips the
 * types at start and sends it inline as a module script (page.ts); only `import type` may appear here.
 * It renders only with textContent (never HTML from the wire), reconnects with jittered backoff, and
 * re-renders everything from each snapshot.
 */
import type {
  ModeChangeData,
  NowPlayingData,
  OverlayEvent,
  QueueUpdateData,
  RadioUpdateData,
} from '../events.ts';
import type { OverlayPageConfig } from '../page.ts';

const cfg = JSON.parse(must(document.getElementById('um-config')).textContent ?? '') as OverlayPageConfig;
const root = must(document.querySelector<HTMLElement>('.um-overlay'));

function must<T>(node: T | null): T {
  if (!node) throw new Error('overlay page: an element is missing');
  return node;
}
function $<T extends HTMLElement = HTMLElement>(sel: string): T {
  return must(root.querySelector<T>(sel));
}

const el = {
  now: $('.um-now'),
  art: $<HTMLImageElement>('.um-art-img'),
  title: $('.um-now-title'),
  artist: $('.um-now-artist'),
  mode: $('.um-mode'),
  filter: $('.um-filter'),
  fill: $('.um-progress-fill'),
  progress: $('.um-progress'),
  elapsed: $('.um-elapsed'),
  duration: $('.um-duration'),
  radio: $('.um-radio'),
  radioArt: $<HTMLImageElement>('.um-radio .um-art-img'),
  radioSong: $('.um-radio-song'),
  radioArtist: $('.um-radio-artist'),
  radioStation: $('.um-radio-station'),
  queue: $('.um-queue'),
  list: $<HTMLOListElement>('.um-list'),
  count: $('.um-queue-count'),
  empty: $('.um-empty'),
  conn: $('.um-conn'),
};
const key = new URLSearchParams(location.search).get('key') || '';
const wsUrl = `${location.protocol === 'https:' ? 'wss://' : 'ws://'}${location.host}/ws/music/${encodeURIComponent(
  cfg.communityId,
)}?key=${encodeURIComponent(key)}`;

interface PageState {
  now: NowPlayingData | null;
  /** `performance.now()` when `now` arrived: the progress bar runs on from there. */
  nowAt: number;
  queue: QueueUpdateData | null;
  mode: ModeChangeData | null;
  radio: RadioUpdateData | null;
}
const state: PageState = { now: null, nowAt: 0, queue: null, mode: null, radio: null };
let attempt = 0;
const MODES: Record<string, string> = { music: 'Music', radio: 'Radio', none: 'Idle' };

function text(node: Element, value: string | number | null | undefined): void {
  const v = value == null ? '' : String(value);
  if (node.textContent !== v) node.textContent = v;
}
/** Artwork is loaded through the side-server (the page's policy allows no other image origin). */
function artworkSrc(url: string): string {
  const query = new URLSearchParams({ key, url });
  return `/overlay/${encodeURIComponent(cfg.communityId)}/artwork?${query}`;
}
function art(img: HTMLImageElement, url: string | null | undefined): void {
  const ok = typeof url === 'string' && /^https?:\/\//i.test(url);
  if (!ok) {
    img.hidden = true;
    img.removeAttribute('src');
    return;
  }
  const src = artworkSrc(url);
  if (img.getAttribute('src') !== src) {
    img.hidden = false;
    img.src = src;
  }
}
function clock(ms: number | null): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return '';
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const mm = h > 0 && m < 10 ? `0${m}` : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${r < 10 ? `0${r}` : r}`;
}
/** Restarts a CSS animation class (reading offsetWidth forces the reflow that makes it run again). */
function restartAnimation(node: HTMLElement, className: string): void {
  node.classList.remove(className);
  void node.offsetWidth;
  node.classList.add(className);
}
function voteText(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

function renderNow(): void {
  const d = state.now;
  const t = d?.track;
  const trackKey = t ? `${t.name}|${t.artist}` : '';
  const changed = el.title.dataset.key !== trackKey;
  el.title.dataset.key = trackKey;
  text(el.title, t ? t.name : 'Nothing playing');
  text(el.artist, t ? t.artist || t.album || '' : 'Request a song to get started');
  art(el.art, t?.album_art_url);
  root.dataset.playing = t && !d?.paused ? 'true' : 'false';
  el.progress.dataset.live = t && t.duration_ms == null ? 'true' : 'false';
  // A filter badge (nightcore ×1.25); a server without filters sends no field.
  const filter = t ? (d?.filter ?? null) : null;
  el.filter.hidden = !filter;
  text(el.filter, filter);
  if (changed && t) restartAnimation(el.now, 'um-swap');
  tick();
}
function tick(): void {
  const d = state.now;
  const t = d?.track;
  if (!d || !t) {
    el.fill.style.transform = 'scaleX(0)';
    text(el.elapsed, '');
    text(el.duration, '');
    return;
  }
  // A sped-up song (nightcore) moves through its length faster than the clock.
  const speed = typeof d.speed === 'number' && d.speed > 0 ? d.speed : 1;
  let pos =
    d.position_ms == null ? null : d.position_ms + (d.paused ? 0 : (performance.now() - state.nowAt) * speed);
  const dur = t.duration_ms;
  if (pos != null && dur) pos = Math.min(pos, dur);
  el.fill.style.transform = `scaleX(${dur && pos != null ? Math.max(0, Math.min(1, pos / dur)) : 0})`;
  text(el.elapsed, d.paused ? 'Paused' : clock(pos));
  text(el.duration, dur ? clock(dur) : 'Live');
}
function renderMode(): void {
  let m: string = state.mode?.active_mode || 'none';
  // Without a mode switch ever made, a playing track is music.
  if (m === 'none' && state.now?.track) m = 'music';
  root.dataset.mode = m;
  text(el.mode, MODES[m] || m);
  el.radio.hidden = m !== 'radio';
  el.now.hidden = m === 'radio';
  renderRadio();
}
function renderRadio(): void {
  const r = state.radio;
  const np = r?.now_playing;
  const station = r?.station || state.mode?.station?.name || 'Radio';
  text(el.radioStation, station);
  text(el.radioSong, np?.title || station);
  text(el.radioArtist, (np && (np.artist || np.album)) || 'Live radio');
  art(el.radioArt, np?.thumbnail_url);
}
function renderQueue(): void {
  const q = state.queue || { items: [], total: 0 };
  const items = q.items.slice(0, cfg.max);
  const before: Record<string, number> = {};
  const old: Record<string, HTMLLIElement> = {};
  for (const li of listItems()) {
    const id = li.dataset.id ?? '';
    old[id] = li;
    before[id] = li.getBoundingClientRect().top;
  }
  const fresh: HTMLLIElement[] = [];
  items.forEach((item, i) => {
    let li = old[item.id];
    if (li) {
      delete old[item.id];
    } else {
      li = document.createElement('li');
      li.className = 'um-item';
      li.dataset.id = item.id;
      // Fixed markup only: every value from the wire goes in with textContent below.
      li.innerHTML =
        '<span class="um-pos"></span><span class="um-item-text"><span class="um-title"></span>' +
        '<span class="um-artist"></span></span> <span class="um-votes"></span>';
      fresh.push(li);
    }
    text(must(li.querySelector('.um-pos')), item.position || i + 1);
    text(must(li.querySelector('.um-title')), item.track.name);
    text(must(li.querySelector('.um-artist')), item.track.artist || '');
    const votes = must(li.querySelector<HTMLElement>('.um-votes'));
    const v = voteText(item.votes);
    if (votes.textContent !== v) {
      const had = votes.textContent !== '';
      votes.textContent = v;
      votes.dataset.sign = item.votes > 0 ? 'up' : item.votes < 0 ? 'down' : 'zero';
      if (had) restartAnimation(votes, 'um-bump');
    }
    if (el.list.children[i] !== li) el.list.insertBefore(li, el.list.children[i] || null);
  });
  for (const li of Object.values(old)) li.remove();
  // FLIP: items that moved slide from where they were.
  for (const li of listItems()) {
    const top = before[li.dataset.id ?? ''];
    if (top === undefined || !li.animate) continue;
    const dy = top - li.getBoundingClientRect().top;
    if (Math.abs(dy) > 1) {
      li.animate([{ transform: `translateY(${dy}px)` }, { transform: 'none' }], {
        duration: 420,
        easing: 'cubic-bezier(0.2, 0.8, 0.2, 1)',
      });
    }
  }
  for (const li of fresh) li.classList.add('um-enter');
  el.empty.hidden = items.length > 0;
  const more = q.total - items.length;
  text(
    el.count,
    q.total === 0 ? '' : more > 0 ? `${q.total} queued \u00b7 +${more} more` : `${q.total} queued`,
  );
  el.queue.dataset.empty = items.length === 0 ? 'true' : 'false';
  if (cfg.layout === 'compact') el.queue.hidden = items.length === 0;
}
function listItems(): HTMLLIElement[] {
  return Array.from(el.list.children) as HTMLLIElement[];
}
function renderAll(): void {
  renderNow();
  renderMode();
  renderQueue();
}

/** Tells the lyrics line (overlay-lyrics.ts, with `?lyrics=1`) what plays and where. */
function announceNow(): void {
  document.dispatchEvent(new CustomEvent('um:now', { detail: { now: state.now, at: state.nowAt } }));
}
function handle(f: OverlayEvent): void {
  if (f.type === 'snapshot') {
    const d = f.data;
    state.now = d.now_playing;
    state.nowAt = performance.now();
    state.queue = d.queue;
    state.mode = d.mode;
    state.radio = d.radio;
    renderAll();
    announceNow();
    root.dataset.ready = 'true';
  } else if (f.type === 'now_playing') {
    state.now = f.data;
    state.nowAt = performance.now();
    renderNow();
    renderMode();
    announceNow();
  } else if (f.type === 'queue_update') {
    state.queue = f.data;
    renderQueue();
  } else if (f.type === 'mode_change') {
    state.mode = f.data;
    renderMode();
  } else if (f.type === 'radio_update') {
    state.radio = f.data;
    renderRadio();
  }
}
function setConn(s: string, message?: string): void {
  root.dataset.conn = s;
  text(el.conn, message || '');
}
function connect(): void {
  const ws = new WebSocket(wsUrl);
  let opened = false;
  ws.onopen = () => {
    opened = true;
    attempt = 0;
    setConn('live');
  };
  ws.onmessage = (e: MessageEvent<string>) => {
    let f: unknown;
    try {
      f = JSON.parse(e.data);
    } catch {
      return;
    }
    if (!f || typeof f !== 'object') return;
    const frame = f as OverlayEvent;
    // A server speaking another protocol version was updated: load the page that goes with it.
    if (frame.v !== cfg.version) {
      setTimeout(() => location.reload(), 5000);
      return;
    }
    handle(frame);
  };
  ws.onclose = (e) => {
    if (e.code === 4001) {
      setConn('rotated', 'Overlay key replaced: update this Browser Source URL');
      return;
    }
    setConn('reconnecting', 'Reconnecting\u2026');
    const delay = Math.min(15000, 400 * 2 ** attempt) * (0.6 + Math.random() * 0.4);
    attempt = opened ? 1 : attempt + 1;
    setTimeout(connect, delay);
  };
}
for (const img of [el.art, el.radioArt]) {
  img.addEventListener('error', () => {
    img.hidden = true;
  });
}
art(el.art, null);
art(el.radioArt, null);
renderAll();
setInterval(tick, 250);
connect();
