import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_KEY_ROTATED } from '../../../src/overlay/hub.ts';
import { snowflake, track } from '../../support/tracks.ts';
import {
  issueKey,
  type OverlayServer,
  post,
  type Services,
  services,
  startOverlayServer,
  TestSocket,
  upgradeStatus,
  wsUrl,
} from './harness.ts';

let n = 0;
/** A guild of its own for each test, so that tests share one server without seeing each other. */
const guild = () => snowflake(1000 + ++n);
const ALICE = snowflake(2);
const BOB = snowflake(3);

describe('overlay over real HTTP and WebSocket', () => {
  let s: Services;
  let server: OverlayServer;

  beforeAll(async () => {
    s = services();
    server = await startOverlayServer(s);
  });
  afterAll(() => server.close());

  describe('keys', () => {
    it('POST /api/v1/overlay/{id}/key answers 201 with the overlay URL and the key', async () => {
      const G = guild();
      const { key, url } = await issueKey(server, G);
      expect(url).toBe(`http://overlay.test/overlay/${G}?key=${key}`);
      expect(await server.keys.verify(G, key)).toBe(true);
    });

    it('issuing a key needs the API token', async () => {
      const res = await fetch(`${server.base}/api/v1/overlay/${guild()}/key`, { method: 'POST' });
      expect(res.status).toBe(401);
    });
  });

  describe('page', () => {
    it('serves the overlay page with the current key', async () => {
      const G = guild();
      const { key } = await issueKey(server, G);
      const res = await fetch(`${server.base}/overlay/${G}?key=${key}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'nonce-/);
      const html = await res.text();
      expect(html).toContain('class="um-overlay"');
      expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/);
    });

    it('answers 401 without a key, with a wrong key and with a rotated-away key', async () => {
      const G = guild();
      const { key: old } = await issueKey(server, G);
      await issueKey(server, G);
      for (const query of ['', '?key=', '?key=wrong-key-0123456789abc', `?key=${old}`]) {
        const res = await fetch(`${server.base}/overlay/${G}${query}`);
        expect(res.status, query).toBe(401);
        expect(await res.text()).toContain('not valid');
      }
    });

    it('answers 401 for a guild that never had a key', async () => {
      expect((await fetch(`${server.base}/overlay/${guild()}?key=abcdefghijklmnopqrstuv`)).status).toBe(401);
    });

    it('reads theme, layout, accent and max from the query, with defaults for bad values', async () => {
      const G = guild();
      const { key } = await issueKey(server, G);
      const html = await (
        await fetch(
          `${server.base}/overlay/${G}?key=${key}&theme=light&layout=compact&accent=%23FF0066&max=3`,
        )
      ).text();
      expect(html).toContain('um-theme-light um-layout-compact');
      expect(html).toContain('--um-accent: #ff0066');
      expect(html).toContain('"max":3');
      const fallback = await (
        await fetch(`${server.base}/overlay/${G}?key=${key}&theme=neon&accent=red;}&max=-1`)
      ).text();
      expect(fallback).toContain('um-theme-dark um-layout-full');
      expect(fallback).toContain('--um-accent: #7c5cff');
      expect(fallback).toContain('"max":5');
    });
  });

  describe('socket upgrade', () => {
    it('refuses an upgrade without a key, with a wrong one, or a rotated-away one with 401 (no 101)', async () => {
      const G = guild();
      const { key: old } = await issueKey(server, G);
      await issueKey(server, G);
      expect(await upgradeStatus(wsUrl(server, G, null))).toBe(401);
      expect(await upgradeStatus(wsUrl(server, G, 'wrong-key-0123456789abcdef'))).toBe(401);
      expect(await upgradeStatus(wsUrl(server, G, old))).toBe(401);
      expect(server.hub.connections(G)).toBe(0);
    });

    it('answers 404 for another socket path or a community id that is not one', async () => {
      const G = guild();
      const { key } = await issueKey(server, G);
      const ws = server.base.replace('http', 'ws');
      expect(await upgradeStatus(`${ws}/ws/other/${G}?key=${key}`)).toBe(404);
      expect(await upgradeStatus(`${ws}/ws/music/not-a-guild?key=${key}`)).toBe(404);
      expect(await upgradeStatus(`${ws}/ws/music/${G}/extra?key=${key}`)).toBe(404);
    });

    it('sends the snapshot first, as a text frame', async () => {
      const G = guild();
      const { key } = await issueKey(server, G);
      await s.queue.add(G, track({ title: 'Already queued' }), ALICE);
      const socket = await TestSocket.open(wsUrl(server, G, key));
      const first = await socket.next('snapshot');
      expect(socket.frames[0]).toBe(first);
      expect(socket.binaryFrames).toBe(0);
      expect(first.v).toBe(1);
      expect(first.data.queue.items.map((i) => i.track.name)).toEqual(['Already queued']);
      expect(first.data.now_playing.track).toBeNull();
      expect(first.data.mode.active_mode).toBe('none');
      socket.close();
    });

    it('rotating the key closes the sockets opened with the old one (4001), and the new key works', async () => {
      const G = guild();
      const { key: old } = await issueKey(server, G);
      const a = await TestSocket.open(wsUrl(server, G, old));
      const b = await TestSocket.open(wsUrl(server, G, old));
      await a.next('snapshot');
      const { key: fresh } = await issueKey(server, G);
      expect((await a.closed).code).toBe(CLOSE_KEY_ROTATED);
      expect((await b.closed).code).toBe(CLOSE_KEY_ROTATED);
      const c = await TestSocket.open(wsUrl(server, G, fresh));
      await c.next('snapshot');
      c.close();
    });

    it('closes a socket that stops answering pings', async () => {
      const quiet = await startOverlayServer(s, { heartbeatMs: 50 });
      try {
        const G = guild();
        const { key } = await issueKey(quiet, G);
        const socket = await TestSocket.open(wsUrl(quiet, G, key));
        await socket.next('snapshot');
        // A client whose pongs never arrive: silence its automatic answer.
        socket.ws.pong = () => {};
        (
          socket.ws as unknown as { _receiver: { removeAllListeners(e: string): void } }
        )._receiver.removeAllListeners('ping');
        const { code } = await socket.closed;
        expect(code).toBe(1006);
        await expect.poll(() => quiet.hub.connections(G)).toBe(0);
      } finally {
        await quiet.close();
      }
    });
  });

  describe('live events', () => {
    it('sends queue_update within a second of an add, a vote and a removal', async () => {
      const G = guild();
      const { key } = await issueKey(server, G);
      const socket = await TestSocket.open(wsUrl(server, G, key));
      await socket.next('snapshot');

      const { item: first } = await s.queue.add(G, track({ title: 'First' }), ALICE);
      const { item: second } = await s.queue.add(G, track({ title: 'Second' }), ALICE);
      let update = await socket.next('queue_update', (f) => f.data.items.length === 2);
      expect(update.data.items.map((i) => [i.track.name, i.position])).toEqual([
        ['First', 1],
        ['Second', 2],
      ]);

      await s.queue.vote(G, second.id, BOB, 1);
      update = await socket.next('queue_update', (f) => f.data.items[0]?.id === second.id);
      expect(update.data.items.map((i) => [i.track.name, i.votes, i.position])).toEqual([
        ['Second', 1, 1],
        ['First', 0, 2],
      ]);

      await s.queue.remove(G, first.id);
      update = await socket.next('queue_update', (f) => f.data.items.length === 1);
      expect(update.data.total).toBe(1);
      socket.close();
    });

    it('coalesces a burst of votes into few updates, the last one complete', async () => {
      const G = guild();
      const { key } = await issueKey(server, G);
      const { item } = await s.queue.add(G, track({ title: 'Popular' }), ALICE);
      const socket = await TestSocket.open(wsUrl(server, G, key));
      await socket.next('snapshot');
      await Promise.all(
        Array.from({ length: 30 }, (_, i) => s.queue.vote(G, item.id, snowflake(500 + i), 1)),
      );
      await socket.next('queue_update', (f) => f.data.items[0]?.votes === 30);
      expect(socket.frames.filter((f) => f.type === 'queue_update').length).toBeLessThanOrEqual(3);
      socket.close();
    });

    it('sends now_playing when an item starts and mode_change when the mode switches', async () => {
      const G = guild();
      const { key } = await issueKey(server, G);
      await s.queue.add(G, track({ title: 'Playing now', durationMs: 200_000 }), ALICE);
      const socket = await TestSocket.open(wsUrl(server, G, key));
      await socket.next('snapshot');
      await s.queue.markPlaying(G);
      const np = await socket.next('now_playing', (f) => f.data.track !== null);
      expect(np.data.track).toMatchObject({ name: 'Playing now', duration_ms: 200_000 });
      expect(np.data.paused).toBe(false);

      const state = {
        guildId: G,
        mode: 'radio' as const,
        previousMode: 'music' as const,
        musicPausedOnSwitch: true,
        switchedAt: new Date().toISOString(),
        stationName: 'Lofi',
        stationUrl: 'https://radio.example/lofi',
      };
      s.mode.set(state);
      s.modeBus.publish({ type: 'mode.changed', guildId: G, state });
      const mode = await socket.next('mode_change');
      expect(mode.data).toMatchObject({
        active_mode: 'radio',
        previous_mode: 'music',
        station: { name: 'Lofi' },
      });
      socket.close();
    });

    it('sends radio_update from the radio bus, and a later page gets it in its snapshot', async () => {
      const G = guild();
      const { key } = await issueKey(server, G);
      const socket = await TestSocket.open(wsUrl(server, G, key));
      await socket.next('snapshot');
      const nowPlaying = {
        title: 'Night Drive',
        artist: 'Synth',
        album: null,
        duration_seconds: null,
        bitrate: 128,
        codec: 'mp3',
        genre: null,
        thumbnail_url: null,
        updated_at: new Date().toISOString(),
      };
      s.radioBus.publish({
        type: 'radio.now_playing',
        guildId: G,
        station: { name: 'Synth FM', provider: 'icecast' },
        nowPlaying,
      });
      const radio = await socket.next('radio_update');
      expect(radio.data).toMatchObject({
        station: 'Synth FM',
        provider: 'icecast',
        now_playing: { title: 'Night Drive' },
      });
      const late = await TestSocket.open(wsUrl(server, G, key));
      expect((await late.next('snapshot')).data.radio?.now_playing?.title).toBe('Night Drive');
      socket.close();
      late.close();
    });
  });

  describe('internal inputs (the seed payloads)', () => {
    it('POST /api/v1/internal/now-playing reaches the page as now_playing', async () => {
      const G = guild();
      const { key } = await issueKey(server, G);
      const socket = await TestSocket.open(wsUrl(server, G, key));
      await socket.next('snapshot');
      const res = await post(server, '/api/v1/internal/now-playing', {
        community_id: G,
        type: 'now_playing',
        timestamp: '2025-12-16T12:34:56.789',
        track: {
          name: 'Song Title',
          artist: 'Artist Name',
          album: 'Album Name',
          album_art_url: 'https://img.example/a.jpg',
          duration_ms: 213000,
          provider: 'spotify',
        },
      });
      expect(res.status).toBe(202);
      const np = await socket.next('now_playing');
      expect(np.data).toMatchObject({
        community_id: G,
        timestamp: '2025-12-16T12:34:56.789Z',
        track: { name: 'Song Title', provider: 'spotify' },
        position_ms: 0,
      });
      socket.close();
    });

    it("POST /api/v1/internal/mode-change takes WaddleBot's payload (new_mode, naive time)", async () => {
      const G = guild();
      const { key } = await issueKey(server, G);
      const socket = await TestSocket.open(wsUrl(server, G, key));
      await socket.next('snapshot');
      const res = await post(server, '/api/v1/internal/mode-change', {
        community_id: G,
        type: 'mode_change',
        timestamp: '2025-12-16T10:30:45.123456',
        new_mode: 'music',
        previous_mode: 'radio',
      });
      expect(res.status).toBe(202);
      const mode = await socket.next('mode_change');
      expect(mode.data).toMatchObject({
        active_mode: 'music',
        previous_mode: 'radio',
        switched_at: '2025-12-16T10:30:45.123Z',
      });
      socket.close();
    });

    it('refuses bad input with a 400 envelope and publishes nothing', async () => {
      const cases: [string, unknown, RegExp][] = [
        ['/api/v1/internal/now-playing', { community_id: guild(), track: { name: '' } }, /track/],
        ['/api/v1/internal/now-playing', { community_id: 12345, track: null }, /community_id/],
        [
          '/api/v1/internal/now-playing',
          { community_id: guild(), track: null, timestamp: 'yesterday' },
          /timestamp/,
        ],
        ['/api/v1/internal/mode-change', { community_id: guild(), new_mode: 'disco' }, /new_mode/],
        ['/api/v1/internal/mode-change', { community_id: guild() }, /mode/],
        [
          '/api/v1/internal/radio-update',
          { community_id: guild(), station: 'x', now_playing: { thumbnail_url: 'javascript:1' } },
          /thumbnail_url/,
        ],
      ];
      for (const [path, body, message] of cases) {
        const res = await post(server, path, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        const json = (await res.json()) as { success: boolean; error: { code: string; message: string } };
        expect(json.success).toBe(false);
        expect(json.error.code).toBe('INVALID_INPUT');
        expect(json.error.message).toMatch(message);
      }
    });

    it('need the API token', async () => {
      const res = await post(
        server,
        '/api/v1/internal/now-playing',
        { community_id: guild(), track: null },
        null,
      );
      expect(res.status).toBe(401);
    });
  });
});
