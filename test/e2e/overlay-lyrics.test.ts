import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueItem } from '../../src/core/track.ts';
import { LrclibClient } from '../../src/lyrics/lrclib.ts';
import { LyricsService } from '../../src/lyrics/service.ts';
import { MediaAllowlist } from '../../src/net/address-policy.ts';
import { FakeLrclib } from '../fakes/lrclib/index.ts';
import {
  issueKey,
  type OverlayServer,
  type Services,
  services,
  startOverlayServer,
  TOKEN,
} from '../integration/overlay/harness.ts';
import { launchChromium } from '../support/chromium.ts';
import { pngImage } from '../support/png.ts';
import { snowflake, track } from '../support/tracks.ts';

const G = snowflake(5151);
const USER = snowflake(100);
const SCREENSHOT = new URL('../../docs/images/overlay-lyrics.png', import.meta.url);
const SYNCED = [
  '[00:01.00]Headlights on the water',
  '[00:04.50]Moonlight drive tonight',
  '[00:08.00]Hold on to the wheel and the night',
  '[00:12.00]',
  '[00:14.00]Moonlight drive tonight',
].join('\n');

/** Album art on loopback (allowlisted), so the screenshot shows a whole overlay; the page never asks it. */
function artServer(): Promise<{ server: Server; base: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png' }).end(pngImage(300, 300, 200));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ server, base: `http://127.0.0.1:${port}`, requests });
    }),
  );
}

describe('overlay lyrics line in real Chromium', () => {
  let s: Services;
  let server: OverlayServer;
  let lrclib: FakeLrclib;
  let art: Awaited<ReturnType<typeof artServer>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let playing: QueueItem;
  const requests: string[] = [];
  const pageErrors: string[] = [];

  /** A now-playing frame, as the player publishes one on a pause, a seek or a resume. */
  const nowPlaying = async (name: string, artist: string, positionMs: number, paused: boolean) => {
    const res = await fetch(`${server.base}/api/v1/internal/now-playing`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        community_id: G,
        track: {
          name,
          artist,
          album: 'Shore',
          album_art_url: `${art.base}/cover.png`,
          duration_ms: 200_000,
          provider: 'http',
        },
        position_ms: positionMs,
        paused,
      }),
    });
    expect(res.status).toBe(202);
  };
  const line = () => page.locator('.um-lyrics-line');
  /** Waits until the lyrics line shows exactly `text` (generous: a busy machine can stall Chromium). */
  const lineShows = (text: string) =>
    page.locator('.um-lyrics:not([hidden]) .um-lyrics-line', { hasText: new RegExp(`^${text}$`) }).waitFor({
      timeout: 30_000,
    });

  beforeAll(async () => {
    s = services();
    lrclib = await FakeLrclib.start();
    lrclib.add({
      track: 'Moonlight Drive',
      artist: 'The Tides',
      album: 'Shore',
      duration: 200,
      synced: SYNCED,
    });
    art = await artServer();
    const lyrics = new LyricsService({
      client: new LrclibClient({ baseUrl: lrclib.url, userAgent: 'unified-music/test' }),
      clock: s.clock,
    });
    server = await startOverlayServer(s, {
      lyrics,
      allowlist: MediaAllowlist.parse(`127.0.0.1:${new URL(art.base).port}`),
    });
    const input = track({
      title: 'Moonlight Drive',
      artist: 'The Tides',
      album: 'Shore',
      durationMs: 200_000,
      artworkUrl: `${art.base}/cover.png`,
    });
    playing = (await s.queue.add(G, input, USER)).item;
    await s.queue.add(G, track({ title: 'Harbour Lights', artist: 'The Tides' }), USER);
    await s.queue.markPlaying(G, playing.id);

    browser = await launchChromium({ viewport: { width: 470, height: 420 }, deviceScaleFactor: 2 });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) pageErrors.push(m.text());
    });
    const { key } = await issueKey(server, G);
    await page.goto(`${server.base}/overlay/${G}?key=${encodeURIComponent(key)}&lyrics=1`);
    await page.locator('.um-overlay[data-ready="true"]').waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await lrclib?.stop();
    art?.server.closeAllConnections();
    await new Promise((resolve) => art?.server.close(resolve));
  });

  it('shows the line sung at the current position, with the next one, and saves the README screenshot', async () => {
    // The song plays from the queue's start time; then the player pauses it 4.6 s in.
    await nowPlaying('Moonlight Drive', 'The Tides', 4_600, true);
    await page.locator('.um-elapsed', { hasText: /^Paused$/ }).waitFor({ timeout: 30_000 });
    await lineShows('Moonlight drive tonight');
    await expect
      .poll(() => page.locator('.um-lyrics-next').textContent())
      .toBe('Hold on to the wheel and the night');
    await page.locator('.um-art-img[src]').waitFor({ state: 'visible' });
    await page.waitForFunction(
      (sel) => {
        const img = (
          globalThis as unknown as {
            document: { querySelector(s: string): { complete?: boolean; naturalWidth?: number } | null };
          }
        ).document.querySelector(sel);
        return img?.complete === true && (img.naturalWidth ?? 0) > 0;
      },
      '.um-now .um-art-img',
      { timeout: 30_000 },
    );
    // The lyrics came from the side-server under the key; LRCLIB was asked once, by the server.
    expect(requests.filter((u) => u.includes('/lyrics?key='))).toHaveLength(1);
    expect(
      requests.filter((u) => !u.startsWith(server.base) && !u.startsWith(server.base.replace('http', 'ws'))),
    ).toEqual([]);
    expect(lrclib.calls('/api/get')).toHaveLength(1);
    expect(art.requests.length).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);

    await page.evaluate(`Promise.all(document.getAnimations()
      .filter((a) => a.effect?.getTiming().iterations !== Infinity)
      .map((a) => a.finished.catch(() => {})))`);
    await page.evaluate(`document.documentElement.style.background =
      'repeating-conic-gradient(#2b2d3a 0% 25%, #1f2029 0% 50%) 0 0 / 28px 28px, #1f2029'`);
    const box = await page.locator('.um-overlay').boundingBox();
    const shot = await page.screenshot({
      clip: { x: 0, y: 0, width: 470, height: Math.ceil((box?.y ?? 0) + (box?.height ?? 400) + 10) },
    });
    expect(shot.length).toBeGreaterThan(1_000);
    // README's picture: written when missing or asked for (UPDATE_FIXTURES=1), so a test run leaves
    // the working tree as it found it.
    if (process.env.UPDATE_FIXTURES === '1' || !existsSync(SCREENSHOT)) {
      mkdirSync(new URL('.', SCREENSHOT), { recursive: true });
      writeFileSync(SCREENSHOT, shot);
    }
  });

  it('follows a seek while paused, forward and back', async () => {
    // Still on the paused line after the screenshot: a paused song does not run on.
    expect(await line().textContent()).toBe('Moonlight drive tonight');
    await nowPlaying('Moonlight Drive', 'The Tides', 8_500, true);
    await lineShows('Hold on to the wheel and the night');
    await nowPlaying('Moonlight Drive', 'The Tides', 2_000, true);
    await lineShows('Headlights on the water');
    await expect.poll(() => line().textContent()).toBe('Headlights on the water');
  });

  it('runs on by itself after a resume, line by line, and stops again on a pause', async () => {
    await nowPlaying('Moonlight Drive', 'The Tides', 3_800, false);
    await lineShows('Moonlight drive tonight');
    await lineShows('Hold on to the wheel and the night');
    await nowPlaying('Moonlight Drive', 'The Tides', 12_500, true);
    // An empty LRC line is a pause in the singing: the page shows a note.
    await lineShows('\u266a');
    await expect.poll(() => page.locator('.um-lyrics-next').textContent()).toBe('Moonlight drive tonight');
  });

  it('hides the line for a song LRCLIB does not know, and shows it again when the song comes back', async () => {
    await nowPlaying('Harbour Lights', 'The Tides', 1_000, false);
    await page.locator('.um-lyrics').waitFor({ state: 'hidden', timeout: 30_000 });
    await expect.poll(() => lrclib.calls('/api/search').length).toBeGreaterThan(0);
    await nowPlaying('Moonlight Drive', 'The Tides', 1_200, true);
    await lineShows('Headlights on the water');
    expect(pageErrors).toEqual([]);
  });

  it('refuses the lyrics route without the key, and the page without ?lyrics has no lyrics line', async () => {
    const res = await fetch(`${server.base}/overlay/${G}/lyrics?key=wrong`);
    expect(res.status).toBe(401);
    const { key } = await issueKey(server, G);
    const html = await (await fetch(`${server.base}/overlay/${G}?key=${encodeURIComponent(key)}`)).text();
    expect(html).not.toContain('class="um-lyrics"');
    expect(html).not.toContain("addEventListener('um:now'");
    const csp = (
      await fetch(`${server.base}/overlay/${G}?key=${encodeURIComponent(key)}&lyrics=1`)
    ).headers.get('content-security-policy');
    expect(csp).toMatch(/default-src 'none'; script-src 'nonce-[^']+'; .*connect-src 'self'/);
    expect(csp).not.toMatch(/https?:|\*/);
  });
});
