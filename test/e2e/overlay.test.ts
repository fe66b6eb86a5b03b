import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueItem } from '../../src/core/track.ts';
import { MediaAllowlist } from '../../src/net/address-policy.ts';
import {
  issueKey,
  type OverlayServer,
  type Services,
  services,
  startOverlayServer,
} from '../integration/overlay/harness.ts';
import { launchChromium } from '../support/chromium.ts';
import { pngImage } from '../support/png.ts';
import { snowflake, track } from '../support/tracks.ts';

const G = snowflake(4242);
const USERS = Array.from({ length: 12 }, (_, i) => snowflake(100 + i));
const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url);

/**
 * Album art, drawn as PNG and served from 127.0.0.1: the test makes no request to the outside. Each
 * request it gets is kept: the page must never ask it directly, only the side-server may.
 */
function artServer(): Promise<{ server: Server; base: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const hue = Number(/\/(\d+)\.png$/.exec(req.url ?? '')?.[1] ?? 260);
    res.writeHead(200, { 'content-type': 'image/png' }).end(pngImage(300, 300, hue));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        server,
        base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
        requests,
      });
    }),
  );
}

/** Votes until an item has `n` net votes (each user votes once). */
async function upvote(s: Services, item: QueueItem, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) await s.queue.vote(G, item.id, USERS[i]!, 1);
}

/** The text of the queue rows as the page shows them. */
function rows(page: Page): Promise<string[]> {
  return page.$$eval('.um-item', (items) =>
    items.map(
      (li) => `${li.querySelector('.um-title')?.textContent} ${li.querySelector('.um-votes')?.textContent}`,
    ),
  );
}

/*
 * In-page code is passed as strings or as functions that reach the page through `globalThis`: the
 * project's TypeScript has no DOM types. String predicates (waitForFunction) would need eval, which the
 * page's policy forbids, so waits use locators.
 */

const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/**
 * Waits until the row of `title` shows `votes`. The deadline is generous (a busy machine can hold up
 * Chromium for seconds); how fast a vote reaches the page is for the benchmarks to measure.
 */
function votesOf(page: Page, title: string, votes: string, timeout = 15_000) {
  return page
    .locator('.um-item', { has: page.locator('.um-title', { hasText: exactly(title) }) })
    .locator('.um-votes', { hasText: exactly(votes) })
    .waitFor({ timeout });
}

interface MiniDocument {
  querySelector(selector: string): { complete?: boolean; naturalWidth?: number } | null;
}

/** Waits until an artwork image has loaded and decoded (a refused one completes with no width). */
function artLoaded(page: Page, selector: string) {
  return page.waitForFunction(
    (sel) => {
      const img = (globalThis as unknown as { document: MiniDocument }).document.querySelector(sel);
      return img?.complete === true && (img.naturalWidth ?? 0) > 0;
    },
    selector,
    { timeout: 10_000 },
  );
}

describe('overlay page in real Chromium', () => {
  let s: Services;
  let server: OverlayServer;
  let art: Awaited<ReturnType<typeof artServer>>;
  /** A second image host on another loopback port, which is not allowlisted. */
  let local: Awaited<ReturnType<typeof artServer>>;
  /** Only the art host's port is let through the SSRF guard, as a streamer would allow one LAN server. */
  let allowlist: MediaAllowlist;
  let context: BrowserContext;
  let page: Page;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const requests: string[] = [];
  /** Script errors and policy violations on the page (failed reconnect attempts are expected). */
  const pageErrors: string[] = [];
  const items: Record<string, QueueItem> = {};

  beforeAll(async () => {
    s = services();
    art = await artServer();
    local = await artServer();
    allowlist = MediaAllowlist.parse(`127.0.0.1:${new URL(art.base).port}`);
    server = await startOverlayServer(s, { allowlist });
    const add = async (name: string, title: string, artist: string, hue: number | null) => {
      const input = track({
        title,
        artist,
        durationMs: 215_000,
        ...(hue === null ? {} : { artworkUrl: `${art.base}/${hue}.png` }),
      });
      items[name] = (await s.queue.add(G, input, USERS[0]!)).item;
    };
    await add('midnight', 'Midnight City', 'M83', 265);
    await add('blinding', 'Blinding Lights', 'The Weeknd', null);
    await add('digital', 'Digital Love', 'Daft Punk', null);
    await add('innerbloom', 'Innerbloom', 'RÜFÜS DU SOL', null);
    await add('sunset', 'Sunset Lover', 'Petit Biscuit', null);
    await s.queue.markPlaying(G, items.midnight!.id);
    await upvote(s, items.digital!, 0, 3);
    await upvote(s, items.innerbloom!, 0, 1);
    await s.queue.vote(G, items.sunset!.id, USERS[1]!, -1);

    browser = await launchChromium({ viewport: { width: 470, height: 560 }, deviceScaleFactor: 2 });
    context = browser.context;
    page = context.pages()[0] ?? (await context.newPage());
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) pageErrors.push(m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    for (const host of [art, local]) {
      host?.server.closeAllConnections();
      await new Promise((resolve) => host?.server.close(resolve));
    }
  });

  it('renders the snapshot as DOM text on a transparent page', async () => {
    const { key } = await issueKey(server, G);
    await page.goto(`${server.base}/overlay/${G}?key=${key}&max=5&accent=%237c5cff`);
    await page.waitForSelector('.um-overlay[data-ready="true"]', { timeout: 30_000 });
    expect(await page.textContent('.um-now-title')).toBe('Midnight City');
    expect(await page.textContent('.um-now-artist')).toBe('M83');
    expect(await rows(page)).toEqual([
      'Digital Love +3',
      'Innerbloom +1',
      'Blinding Lights 0',
      'Sunset Lover -1',
    ]);
    const backgrounds = await page.evaluate(`[document.documentElement, document.body].map((e) => {
      const style = getComputedStyle(e);
      return [style.backgroundColor, style.backgroundImage];
    })`);
    expect(backgrounds).toEqual([
      ['rgba(0, 0, 0, 0)', 'none'],
      ['rgba(0, 0, 0, 0)', 'none'],
    ]);
    expect(await page.$$('canvas')).toHaveLength(0);
    await artLoaded(page, '.um-now .um-art-img');
  });

  it('loads the artwork through the side-server, never from where it is', async () => {
    const src = await page.getAttribute('.um-now .um-art-img', 'src');
    const key = new URL(page.url()).searchParams.get('key')!;
    expect(src).toBe(`/overlay/${G}/artwork?${new URLSearchParams({ key, url: `${art.base}/265.png` })}`);
    expect(requests.some((u) => u.startsWith(`${server.base}/overlay/${G}/artwork?`))).toBe(true);
    expect(requests.filter((u) => u.startsWith(art.base))).toEqual([]);
    // The side-server fetched it (once, then from its cache).
    expect(art.requests).toEqual(['/265.png']);
  });

  it('refuses artwork on a loopback port that is not allowlisted, and the page hides it', async () => {
    const hidden = page.locator('.um-radio .um-art-img');
    const refused = page.waitForResponse((r) => r.url().includes('/artwork?') && r.url().includes('999.png'));
    s.radioBus.publish({
      type: 'radio.now_playing',
      guildId: G,
      station: { name: 'Loopback FM', provider: 'icecast' },
      nowPlaying: {
        title: 'Private Song',
        artist: null,
        album: null,
        duration_seconds: null,
        bitrate: null,
        codec: null,
        genre: null,
        thumbnail_url: `${local.base}/999.png`,
        updated_at: new Date().toISOString(),
      },
    });
    const response = await refused;
    expect(response.status()).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN_ADDRESS');
    await expect.poll(() => hidden.getAttribute('hidden'), { timeout: 30_000 }).not.toBeNull();
    expect(local.requests).toEqual([]);
    expect(requests.filter((u) => u.startsWith(local.base))).toEqual([]);
  });

  it('shows a vote as the new number, live, without a reload', async () => {
    await s.queue.vote(G, items.blinding!.id, USERS[5]!, 1);
    await upvote(s, items.blinding!, 6, 10);
    await votesOf(page, 'Blinding Lights', '+5');
    expect((await rows(page))[0]).toBe('Blinding Lights +5');
  });

  it('reconnects by itself after a server restart and re-renders from the new snapshot', async () => {
    const port = server.port;
    await server.close();
    await page.waitForSelector('.um-overlay[data-conn="reconnecting"]', { timeout: 30_000 });
    // While the server is down the queue moves on.
    await s.queue.vote(G, items.sunset!.id, USERS[1]!, 1);
    await upvote(s, items.sunset!, 2, 9);
    server = await startOverlayServer(s, { port, allowlist });
    await page.waitForSelector('.um-overlay[data-conn="live"]', { timeout: 30_000 });
    await votesOf(page, 'Sunset Lover', '+8');
    expect(await rows(page)).toEqual([
      'Sunset Lover +8',
      'Blinding Lights +5',
      'Digital Love +3',
      'Innerbloom +1',
    ]);
  });

  it('fetches nothing from outside and saves a screenshot', async () => {
    const local = requests.filter(
      (u) => !u.startsWith('http://127.0.0.1:') && !u.startsWith('ws://127.0.0.1:'),
    );
    expect(local).toEqual([]);
    expect(pageErrors).toEqual([]);
    // Let the vote animations settle, then show the transparent page over a checkerboard.
    await page.evaluate(`Promise.all(document.getAnimations()
      .filter((a) => a.effect?.getTiming().iterations !== Infinity)
      .map((a) => a.finished.catch(() => {})))`);
    await page.evaluate(`document.documentElement.style.background =
      'repeating-conic-gradient(#2b2d3a 0% 25%, #1f2029 0% 50%) 0 0 / 28px 28px, #1f2029'`);
    mkdirSync(ARTIFACTS, { recursive: true });
    const box = await page.locator('.um-overlay').boundingBox();
    await page.screenshot({
      path: new URL('overlay.png', ARTIFACTS).pathname,
      clip: { x: 0, y: 0, width: 470, height: Math.ceil((box?.y ?? 0) + (box?.height ?? 540) + 10) },
    });
  });

  it('shows the radio station and its song in radio mode', async () => {
    const state = {
      guildId: G,
      mode: 'radio' as const,
      previousMode: 'music' as const,
      musicPausedOnSwitch: true,
      switchedAt: new Date().toISOString(),
      stationName: 'Nightwave Plaza',
      stationUrl: 'http://127.0.0.1:9/stream',
    };
    s.mode.set(state);
    s.modeBus.publish({ type: 'mode.changed', guildId: G, state });
    s.radioBus.publish({
      type: 'radio.now_playing',
      guildId: G,
      station: { name: 'Nightwave Plaza', provider: 'icecast' },
      nowPlaying: {
        title: 'Palm Trees at Dusk',
        artist: 'Vapor Drive',
        album: null,
        duration_seconds: null,
        bitrate: 128,
        codec: 'mp3',
        genre: 'synthwave',
        thumbnail_url: `${art.base}/320.png`,
        updated_at: new Date().toISOString(),
      },
    });
    await page
      .locator('.um-radio-song', { hasText: exactly('Palm Trees at Dusk') })
      .waitFor({ timeout: 15_000 });
    expect(await page.textContent('.um-radio-station')).toBe('Nightwave Plaza');
    expect(await page.textContent('.um-radio .um-mode')).toBe('Radio');
    expect(await page.isVisible('.um-now')).toBe(false);
    await artLoaded(page, '.um-radio .um-art-img');
    const box = await page.locator('.um-overlay').boundingBox();
    await page.screenshot({
      path: new URL('overlay-radio.png', ARTIFACTS).pathname,
      clip: { x: 0, y: 0, width: 470, height: Math.ceil((box?.y ?? 0) + (box?.height ?? 540) + 10) },
    });
  });
});
