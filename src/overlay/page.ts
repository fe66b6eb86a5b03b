import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { stripTypeScriptTypes } from 'node:module';
import { sendHtml } from '../http/html.ts';
import { OVERLAY_PROTOCOL_VERSION, OVERLAY_QUEUE_LIMIT } from './events.ts';

/**
 * The page's browser code lives in src/overlay/browser as real files that tsc and biome check. It is
 * read once, when this module loads (a broken file fails the start, not the first page view); the
 * script's types are stripped there (Node's own stripper, a few milliseconds) and both go inline.
 */
const OVERLAY_CLIENT_JS = stripTypeScriptTypes(readBrowserFile('overlay-client.ts'));
const OVERLAY_LYRICS_JS = stripTypeScriptTypes(readBrowserFile('overlay-lyrics.ts'));
const OVERLAY_CSS = ['overlay.css', 'overlay-queue.css', 'overlay-lyrics.css']
  .map(readBrowserFile)
  .join('\n');

function readBrowserFile(name: string): string {
  return readFileSync(new URL(`./browser/${name}`, import.meta.url), 'utf8');
}

/** What the page's script reads from its `um-config` element. */
export interface OverlayPageConfig {
  communityId: string;
  /** Queued items shown. */
  max: number;
  layout: PageOptions['layout'];
  /** The wire protocol the page speaks; a frame of another version makes it reload. */
  version: number;
}

/** The page's look, from its query string (`theme`, `layout`, `accent`, `max`, `lyrics`). */
export interface PageOptions {
  theme: 'dark' | 'light';
  layout: 'compact' | 'full';
  /** `#rgb` or `#rrggbb`. */
  accent: string;
  /** Queued items shown. */
  max: number;
  /** The lyrics line under now playing (`lyrics=1`). */
  lyrics: boolean;
}

export const DEFAULT_PAGE_OPTIONS: PageOptions = {
  theme: 'dark',
  layout: 'full',
  accent: '#7c5cff',
  max: 5,
  lyrics: false,
};

/**
 * Reads the look from a query string. A value that is not understood falls back to its default, so
 * that a typo in an OBS URL still shows an overlay.
 */
export function pageOptions(query: URLSearchParams): PageOptions {
  const theme = query.get('theme');
  const layout = query.get('layout');
  const accent = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(query.get('accent') ?? '');
  const max = Number(query.get('max'));
  return {
    theme: theme === 'light' || theme === 'dark' ? theme : DEFAULT_PAGE_OPTIONS.theme,
    layout: layout === 'compact' || layout === 'full' ? layout : DEFAULT_PAGE_OPTIONS.layout,
    accent: accent ? `#${accent[1]!.toLowerCase()}` : DEFAULT_PAGE_OPTIONS.accent,
    max: Number.isInteger(max) && max >= 1 ? Math.min(max, OVERLAY_QUEUE_LIMIT) : DEFAULT_PAGE_OPTIONS.max,
    lyrics: ['1', 'true', 'on', 'yes'].includes(query.get('lyrics') ?? ''),
  };
}

/**
 * The overlay page: one self-contained document (inline CSS and scripts, nothing fetched but the
 * artwork and, with `lyrics`, the song's lines, through their side-server routes), transparent,
 * rendered as DOM text. The lyrics script goes first so it hears the first now-playing frame. The key stays in the address; the script reads it from
 * there to open the socket.
 */
export function overlayPage(guildId: string, options: PageOptions, nonce: string): string {
  const config: OverlayPageConfig = {
    communityId: guildId,
    max: options.max,
    layout: options.layout,
    version: OVERLAY_PROTOCOL_VERSION,
  };
  return `<!doctype html>
<html lang="en" class="um-theme-${options.theme} um-layout-${options.layout}">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Unified Music overlay</title>
<style>${OVERLAY_CSS}
:root { --um-accent: ${options.accent}; }
</style>
</head>
<body>
<main class="um-overlay" data-mode="none" data-conn="connecting" data-playing="false">
  <section class="um-card um-now" aria-live="polite">
    <div class="um-art"><span class="um-art-glyph" aria-hidden="true">&#9835;</span><img class="um-art-img" alt="" hidden></div>
    <div class="um-meta">
      <div class="um-kicker"><span class="um-mode">Idle</span><span class="um-eq" aria-hidden="true"><i></i><i></i><i></i></span><span>Now playing</span><span class="um-filter" title="Audio filter" hidden></span></div>
      <div class="um-now-title">Nothing playing</div>
      <div class="um-now-artist"></div>
      <div class="um-progress"><div class="um-progress-fill"></div></div>
      <div class="um-times"><span class="um-elapsed"></span><span class="um-duration"></span></div>
${options.lyrics ? '      <div class="um-lyrics" hidden><div class="um-lyrics-line"></div><div class="um-lyrics-next"></div></div>\n' : ''}    </div>
  </section>
  <section class="um-card um-radio" hidden aria-live="polite">
    <div class="um-art"><span class="um-art-glyph" aria-hidden="true">&#128251;</span><img class="um-art-img" alt="" hidden></div>
    <div class="um-meta">
      <div class="um-kicker"><span class="um-mode">Radio</span><span class="um-eq" aria-hidden="true"><i></i><i></i><i></i></span><span>On air</span></div>
      <div class="um-radio-song"></div>
      <div class="um-radio-artist"></div>
      <div class="um-radio-station"></div>
    </div>
  </section>
  <section class="um-card um-queue">
    <div class="um-queue-head"><span>Up next</span><span class="um-queue-count"></span></div>
    <ol class="um-list"></ol>
    <div class="um-empty">Nothing queued yet</div>
  </section>
  <div class="um-conn" role="status"></div>
</main>
<script type="application/json" id="um-config">${scriptJson(config)}</script>
${options.lyrics ? `<script type="module" nonce="${nonce}">${OVERLAY_LYRICS_JS}</script>\n` : ''}<script type="module" nonce="${nonce}">${OVERLAY_CLIENT_JS}</script>
</body>
</html>
`;
}

/**
 * Sends the page with a policy that lets nothing but its own script run, its own socket connect and its
 * own images load: artwork comes through the side-server's artwork route, never from its origin, so OBS
 * (on the streamer's own network) fetches nothing a track or a station API names.
 */
export function sendOverlayPage(res: ServerResponse, guildId: string, options: PageOptions): void {
  const nonce = randomBytes(16).toString('base64');
  sendHtml(res, 200, overlayPage(guildId, options, nonce), {
    'content-security-policy':
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; ` +
      "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'",
  });
}

/** The answer to a missing, wrong or rotated-away key: a readable page, so the streamer sees why. */
export function sendUnauthorizedPage(res: ServerResponse): void {
  sendHtml(
    res,
    401,
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>Overlay key needed</title>
<style>body{margin:0;font:15px system-ui,sans-serif;color:#f4f5fb;background:transparent}
div{display:inline-block;margin:14px;padding:12px 16px;border-radius:14px;background:rgba(16,17,28,.8)}</style></head>
<body><div class="um-error"><strong>This overlay link is not valid.</strong><br>
Its key is missing, wrong or was replaced. Ask for a new overlay link and update the Browser Source URL.</div></body></html>
`,
    { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" },
  );
}

/** JSON that is safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}
