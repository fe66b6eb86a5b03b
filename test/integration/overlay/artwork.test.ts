import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { MediaAllowlist } from '../../../src/net/address-policy.ts';
import { ArtworkProxy } from '../../../src/overlay/artwork.ts';
import { pngImage } from '../../support/png.ts';
import { snowflake } from '../../support/tracks.ts';
import { issueKey, type OverlayServer, post, services, startOverlayServer } from './harness.ts';

const G = snowflake(5151);
const PNG = pngImage(32, 32);

/** An image host on 127.0.0.1: a PNG, and the kinds of answer the artwork route must not pass on. */
function imageHost(): Promise<{ server: Server; origin: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const path = req.url ?? '';
    if (/^\/(a|n\d+)\.png$/.test(path)) res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    else if (path === '/page.html') res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>hi</h1>');
    else if (path === '/art.svg')
      res
        .writeHead(200, { 'content-type': 'image/svg+xml' })
        .end('<svg xmlns="http://www.w3.org/2000/svg"/>');
    else if (path === '/lying.png')
      res.writeHead(200, { 'content-type': 'image/png' }).end('<script>x</script>');
    else if (path === '/huge.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.concat([PNG, Buffer.alloc(3 * 1024 * 1024)]));
    } else res.writeHead(404).end();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }),
    ),
  );
}

async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

describe('overlay artwork route', () => {
  let server: OverlayServer;
  let host: Awaited<ReturnType<typeof imageHost>>;
  let key: string;

  beforeAll(async () => {
    host = await imageHost();
    // The image host's port alone is allowlisted, as a streamer would let one LAN server through.
    server = await startOverlayServer(services(), {
      allowlist: MediaAllowlist.parse(`127.0.0.1:${new URL(host.origin).port}`),
    });
    ({ key } = await issueKey(server, G));
  });
  afterAll(async () => {
    await server?.close();
    host?.server.closeAllConnections();
    await new Promise((resolve) => host?.server.close(resolve));
  });

  /** Puts `url` on the guild's overlay as the station's image, as another bot would. */
  async function show(url: string): Promise<void> {
    const res = await post(server, '/api/v1/internal/radio-update', {
      community_id: G,
      station: 'Art FM',
      now_playing: { title: 'Song', thumbnail_url: url },
    });
    expect(res.status).toBe(202);
  }
  const artwork = (url: string, k: string | null = key) =>
    fetch(
      `${server.base}/overlay/${G}/artwork?${k === null ? '' : `key=${encodeURIComponent(k)}&`}url=${encodeURIComponent(url)}`,
    );

  it('serves the image the overlay shows, fetched once and then from the cache', async () => {
    const url = `${host.origin}/a.png`;
    await show(url);
    const before = host.requests.length;
    for (let i = 0; i < 3; i++) {
      const res = await artwork(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    }
    expect(host.requests.length - before).toBe(1);
    expect(server.artwork.size()).toMatchObject({ entries: 1, bytes: PNG.length });
  });

  it('needs the overlay key', async () => {
    const url = `${host.origin}/a.png`;
    await show(url);
    for (const k of [null, 'wrong-key-0123456789abcdef']) {
      const res = await artwork(url, k);
      expect(res.status).toBe(401);
    }
  });

  it('fetches only what the overlay shows: any other URL is 404 and contacts nobody', async () => {
    await show(`${host.origin}/a.png`);
    const before = host.requests.length;
    const res = await artwork(`${host.origin}/other.png`);
    expect([res.status, (await errorOf(res)).code]).toEqual([404, 'NOT_FOUND']);
    expect(host.requests.length).toBe(before);
  });

  it.each([
    ['loopback on another port', 'http://127.0.0.1:9/a.png'],
    ['another loopback address', 'http://127.0.0.2/a.png'],
    ['a private address', 'http://10.0.0.1/a.png'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data'],
    ['IPv6 loopback', 'http://[::1]/a.png'],
    ['IPv4-compatible IPv6 loopback', 'http://[::127.0.0.1]/a.png'],
  ])('refuses artwork on %s with 403 FORBIDDEN_ADDRESS', async (_what, url) => {
    await show(url);
    const res = await artwork(url);
    expect([res.status, (await errorOf(res)).code]).toEqual([403, 'FORBIDDEN_ADDRESS']);
  });

  it.each([
    ['an HTML page', '/page.html', /not a PNG, JPEG/],
    ['an SVG image', '/art.svg', /not a PNG, JPEG/],
    ['text sent as image/png', '/lying.png', /not the image\/png it claims/],
    ['an image over 2 MiB', '/huge.png', /larger than 2048 KiB/],
  ])('refuses %s with 502', async (_what, path, message) => {
    const url = `${host.origin}${path}`;
    await show(url);
    const res = await artwork(url);
    const error = await errorOf(res);
    expect([res.status, error.code]).toEqual([502, 'UPSTREAM_ERROR']);
    expect(error.message).toMatch(message);
  });

  describe('cache', () => {
    const proxy = (clock: ManualClock, limits: { maxEntries?: number; maxTotalBytes?: number } = {}) =>
      new ArtworkProxy({
        allowlist: MediaAllowlist.parse(`127.0.0.1:${new URL(host.origin).port}`),
        clock,
        ...limits,
      });
    const count = (path: string) => host.requests.filter((r) => r === path).length;

    it('shares one fetch among pages asking at once', async () => {
      const p = proxy(new ManualClock());
      const images = await Promise.all(Array.from({ length: 8 }, () => p.get(`${host.origin}/n1.png`)));
      expect(images.every((i) => i.body.equals(PNG))).toBe(true);
      expect(count('/n1.png')).toBe(1);
    });

    it('keeps at most maxEntries images and maxTotalBytes, dropping the least recently used', async () => {
      const p = proxy(new ManualClock(), { maxEntries: 2 });
      for (const n of [2, 3]) await p.get(`${host.origin}/n${n}.png`);
      await p.get(`${host.origin}/n2.png`); // n2 used last: n3 goes first
      await p.get(`${host.origin}/n4.png`);
      expect(p.size()).toEqual({ entries: 2, bytes: 2 * PNG.length });
      await p.get(`${host.origin}/n2.png`);
      expect(count('/n2.png')).toBe(1);
      await p.get(`${host.origin}/n3.png`);
      expect(count('/n3.png')).toBe(2);
      const small = proxy(new ManualClock(), { maxTotalBytes: PNG.length * 3 });
      for (const n of [5, 6, 7, 8, 9]) await small.get(`${host.origin}/n${n}.png`);
      expect(small.size()).toEqual({ entries: 3, bytes: 3 * PNG.length });
    });

    it('fetches again after ten minutes, and retries a refusal after one', async () => {
      const clock = new ManualClock();
      const p = proxy(clock);
      await p.get(`${host.origin}/n10.png`);
      clock.advance(9 * 60_000);
      await p.get(`${host.origin}/n10.png`);
      expect(count('/n10.png')).toBe(1);
      clock.advance(2 * 60_000);
      await p.get(`${host.origin}/n10.png`);
      expect(count('/n10.png')).toBe(2);
      const refused = `${host.origin}/page.html`;
      const before = count('/page.html');
      await expect(p.get(refused)).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
      await expect(p.get(refused)).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
      expect(count('/page.html') - before).toBe(1);
      clock.advance(61_000);
      await expect(p.get(refused)).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
      expect(count('/page.html') - before).toBe(2);
    });
  });

  it('tightens the page policy to images from the side-server itself', async () => {
    const res = await fetch(`${server.base}/overlay/${G}?key=${key}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/img-src 'self' data:;/);
    expect(csp).not.toMatch(/img-src[^;]*http/);
  });
});
