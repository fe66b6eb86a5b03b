import { WebSocket } from 'ws';
import type { LyricsPort } from '../../../src/actions/index.ts';
import { type Clock, systemClock } from '../../../src/core/clock.ts';
import { type EventBus, InMemoryEventBus } from '../../../src/core/events.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import { HttpServer } from '../../../src/http/server.ts';
import { initialModeState, type ModeEvent, type ModeState } from '../../../src/mode/controller.ts';
import { MediaAllowlist } from '../../../src/net/address-policy.ts';
import { ArtworkProxy } from '../../../src/overlay/artwork.ts';
import type { OverlayEvent, OverlayEventType } from '../../../src/overlay/events.ts';
import { overlayUpgradeHandler } from '../../../src/overlay/gateway.ts';
import { OverlayHub } from '../../../src/overlay/hub.ts';
import { OverlayKeys, overlayUrl } from '../../../src/overlay/keys.ts';
import { overlayRoutes } from '../../../src/overlay/routes.ts';
import { overlaySource } from '../../../src/overlay/source.ts';
import { type LiveTransport, MemoryTransport } from '../../../src/overlay/transport.ts';
import type { PlayerEvent } from '../../../src/playback/player.ts';
import type { QueueEvent } from '../../../src/queue/events.ts';
import { QueueService } from '../../../src/queue/service.ts';
import type { RadioEvent } from '../../../src/radio/events.ts';
import type { GuildSettingsRepository } from '../../../src/storage/db/guild-settings.ts';
import { MemoryGuildSettingsRepository } from '../../../src/storage/db/guild-settings-memory.ts';
import { MemoryQueueStore } from '../../../src/storage/queue/memory-store.ts';
import { testActions } from '../../support/actions.ts';
import { WAIT_TIMEOUT_MS } from '../../support/wait.ts';

export const TOKEN = 'overlay-test-token-0123456789';

/** The services an overlay reads: a queue in memory, a mode store and guild settings. */
export function services(clock: Clock = systemClock) {
  const queueBus = new InMemoryEventBus<QueueEvent>();
  const queue = new QueueService({
    store: new MemoryQueueStore({ ttlSeconds: 3600, historyLimit: 50, clock }),
    bus: queueBus,
    clock,
    limits: () => ({ maxLength: 1000, maxPerUser: 1000 }),
  });
  const modes = new Map<string, ModeState>();
  const mode = {
    get: async (guildId: string): Promise<ModeState> => modes.get(guildId) ?? initialModeState(guildId),
    set: (state: ModeState) => modes.set(state.guildId, state),
  };
  return {
    clock,
    queue,
    queueBus,
    mode,
    settings: new MemoryGuildSettingsRepository() as GuildSettingsRepository,
    playerBus: new InMemoryEventBus<PlayerEvent>(),
    modeBus: new InMemoryEventBus<ModeEvent>(),
    radioBus: new InMemoryEventBus<RadioEvent>(),
  };
}

export type Services = ReturnType<typeof services>;

export interface OverlayServer {
  base: string;
  port: number;
  hub: OverlayHub;
  keys: OverlayKeys;
  artwork: ArtworkProxy;
  http: HttpServer;
  close(): Promise<void>;
}

/** One side-server with the overlay routes and socket, as src/app.ts wires it. */
export async function startOverlayServer(
  s: Services,
  options: {
    transport?: LiveTransport;
    port?: number;
    heartbeatMs?: number;
    /** What the artwork route may fetch besides public addresses (MEDIA_ALLOWLIST); default nothing. */
    allowlist?: MediaAllowlist;
    buses?: { queue?: EventBus<QueueEvent>; player?: EventBus<PlayerEvent>; mode?: EventBus<ModeEvent> };
    /** Lyrics for the page's lyrics line (a LyricsService on a fake LRCLIB); default none. */
    lyrics?: LyricsPort;
  } = {},
): Promise<OverlayServer> {
  const logger = silentLogger();
  const transport = options.transport ?? new MemoryTransport();
  const keys = new OverlayKeys(s.settings);
  const hub = new OverlayHub({
    transport,
    source: overlaySource({ queue: s.queue, mode: s.mode, player: null, clock: s.clock }),
    keys,
    queueBus: options.buses?.queue ?? s.queueBus,
    playerBus: options.buses?.player ?? s.playerBus,
    modeBus: options.buses?.mode ?? s.modeBus,
    radioBus: s.radioBus,
    clock: s.clock,
    logger,
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
  });
  const http = new HttpServer({
    host: '127.0.0.1',
    port: options.port ?? 0,
    apiToken: TOKEN,
    rateLimitPerMinute: 0,
    logger,
    onUpgrade: overlayUpgradeHandler({ hub, keys, logger }),
  });
  const publicUrl = 'http://overlay.test';
  const actions = testActions({
    queue: s.queue,
    ...(options.lyrics ? { lyrics: options.lyrics } : {}),
    overlay: {
      issue: async (guildId) => {
        const key = await keys.issue(guildId);
        return { key, url: overlayUrl(publicUrl, guildId, key) };
      },
      hasKey: async (guildId) => (await keys.currentHash(guildId)) !== null,
    },
  });
  const artwork = new ArtworkProxy({
    allowlist: options.allowlist ?? MediaAllowlist.parse(''),
    clock: s.clock,
  });
  http.add(...overlayRoutes({ keys, actions, hub, artwork, hasCommunity: () => true, clock: s.clock }));
  const { port } = await http.listen();
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    hub,
    keys,
    artwork,
    http,
    close: async () => {
      // Sockets first: the HTTP server waits for every connection, upgraded ones included. A browser
      // also keeps preconnected sockets that never send a request; a restart does not wait for those.
      await hub.close();
      const closing = http.close();
      http.raw.closeAllConnections();
      await closing;
    },
  };
}

/** A page's socket as a test sees it: every frame kept, and a way to wait for the next of a kind. */
export class TestSocket {
  readonly ws: WebSocket;
  readonly frames: OverlayEvent[] = [];
  /** Frames that came as binary: the protocol is text frames only. */
  binaryFrames = 0;
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: { match: (f: OverlayEvent) => boolean; resolve: (f: OverlayEvent) => void }[] = [];
  private seen = 0;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    ws.on('message', (raw, isBinary) => {
      if (isBinary) this.binaryFrames += 1;
      const frame = JSON.parse(raw.toString()) as OverlayEvent;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
  }

  static open(url: string): Promise<TestSocket> {
    const ws = new WebSocket(url);
    const socket = new TestSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade answered ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /**
   * The next frame of `type` (after those already taken) that passes `match`, within `ms` (generous:
   * the deadline only decides how long a broken run takes to fail).
   */
  next<T extends OverlayEventType>(
    type: T,
    match: (f: Extract<OverlayEvent, { type: T }>) => boolean = () => true,
    ms = WAIT_TIMEOUT_MS,
  ): Promise<Extract<OverlayEvent, { type: T }>> {
    const test = (f: OverlayEvent) => f.type === type && match(f as Extract<OverlayEvent, { type: T }>);
    const already = this.frames.slice(this.seen).find(test);
    if (already) {
      this.seen = this.frames.indexOf(already) + 1;
      return Promise.resolve(already as Extract<OverlayEvent, { type: T }>);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} frame within ${ms} ms`)), ms);
      this.waiters.push({
        match: test,
        resolve: (f) => {
          clearTimeout(timer);
          this.seen = this.frames.indexOf(f) + 1;
          resolve(f as Extract<OverlayEvent, { type: T }>);
        },
      });
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** The status an upgrade is answered with when it is refused (or 101 when it opens). */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.once('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

export function wsUrl(server: OverlayServer, guildId: string, key: string | null): string {
  const query = key === null ? '' : `?key=${encodeURIComponent(key)}`;
  return `${server.base.replace('http', 'ws')}/ws/music/${guildId}${query}`;
}

export async function issueKey(
  server: OverlayServer,
  guildId: string,
): Promise<{ key: string; url: string }> {
  const res = await fetch(`${server.base}/api/v1/overlay/${guildId}/key`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  if (res.status !== 201) throw new Error(`key issue answered ${res.status}`);
  const body = (await res.json()) as { data: { key: string; overlay_url: string } };
  return { key: body.data.key, url: body.data.overlay_url };
}

export function post(server: OverlayServer, path: string, body: unknown, token: string | null = TOKEN) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(`${server.base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
}
