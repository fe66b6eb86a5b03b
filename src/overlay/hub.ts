import type { WebSocket } from 'ws';
import type { Clock } from '../core/clock.ts';
import type { EventBus } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import type { ModeEvent } from '../mode/controller.ts';
import type { PlayerEvent } from '../playback/player.ts';
import type { QueueEvent } from '../queue/events.ts';
import type { RadioEvent } from '../radio/events.ts';
import { shownArtwork } from './artwork.ts';
import { Coalescer } from './coalesce.ts';
import {
  type BroadcastEvent,
  modeChangeData,
  type NowPlayingData,
  type OverlayDataOf,
  overlayEvent,
  radioUpdateData,
  type SnapshotData,
} from './events.ts';
import { advanceNowPlaying, encode } from './frames.ts';
import type { OverlaySource } from './source.ts';
import type { LiveMessage, LiveTransport } from './transport.ts';

/** Close code for a socket whose key was rotated away; the page stops reconnecting on it. */
export const CLOSE_KEY_ROTATED = 4001;

export interface OverlayHubDeps {
  transport: LiveTransport;
  source: OverlaySource;
  /** To re-check open sockets after a rotation (`currentHash`) and hear of local ones (`onRotate`). */
  keys: {
    currentHash(guildId: string): Promise<string | null>;
    onRotate(listener: (guildId: string) => void): () => void;
  };
  queueBus?: EventBus<QueueEvent>;
  playerBus?: EventBus<PlayerEvent>;
  modeBus?: EventBus<ModeEvent>;
  radioBus?: EventBus<RadioEvent>;
  clock: Clock;
  logger: Logger;
  /** Bursts of changes within this window become one update. Default 100 ms. */
  coalesceMs?: number;
  /** Ping interval; a socket that missed a pong by the next one is closed. Default 30 s. */
  heartbeatMs?: number;
  /** A socket that cannot keep up (more than this buffered) is dropped; it reconnects. Default 1 MiB. */
  maxBufferedBytes?: number;
}

interface Client {
  ws: WebSocket;
  keyHash: string;
  alive: boolean;
  /** Frames that arrived before the snapshot went out; null once it has. */
  pending: Buffer[] | null;
}

type Latest = Partial<Pick<OverlayDataOf, 'now_playing' | 'mode_change' | 'radio_update'>>;

/** Guilds whose last live events are remembered for new sockets; the oldest are forgotten. */
const LATEST_LIMIT = 10_000;
const PENDING_LIMIT = 64;

/**
 * The live side of the overlay. Listens to the queue, player, mode and radio buses, sends what changed
 * through the transport (Redis pub/sub between instances), and fans each event out to the guild's open
 * sockets: serialized once per event, whatever the number of sockets. A socket gets a `snapshot` first,
 * then `queue_update` (coalesced), `now_playing`, `mode_change` and `radio_update` as they happen.
 */
export class OverlayHub {
  private readonly deps: OverlayHubDeps;
  private readonly sockets = new Map<string, Set<Client>>();
  private readonly latest = new Map<string, Latest>();
  private readonly queueUpdates: Coalescer;
  private readonly nowPlayingUpdates: Coalescer;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly heartbeat: NodeJS.Timeout;
  private readonly maxBuffered: number;

  constructor(deps: OverlayHubDeps) {
    this.deps = deps;
    this.maxBuffered = deps.maxBufferedBytes ?? 1024 * 1024;
    const window = deps.coalesceMs ?? 100;
    this.queueUpdates = new Coalescer(window, (guildId) => this.sendQueue(guildId));
    this.nowPlayingUpdates = new Coalescer(window, (guildId) => this.publishNowPlaying(guildId));
    this.unsubscribe.push(
      deps.transport.subscribe((m) => this.receive(m)),
      deps.keys.onRotate((guildId) => deps.transport.publish({ kind: 'key_rotated', guildId })),
    );
    if (deps.queueBus) this.unsubscribe.push(deps.queueBus.subscribe((e) => this.onQueue(e)));
    if (deps.playerBus)
      this.unsubscribe.push(deps.playerBus.subscribe((e) => this.nowPlayingUpdates.trigger(e.guildId)));
    if (deps.modeBus) this.unsubscribe.push(deps.modeBus.subscribe((e) => this.onMode(e)));
    if (deps.radioBus) this.unsubscribe.push(deps.radioBus.subscribe((e) => this.onRadio(e)));
    this.heartbeat = setInterval(() => this.beat(), deps.heartbeatMs ?? 30_000);
    this.heartbeat.unref();
  }

  /**
   * Adopts an upgraded socket whose key was checked: sends it the snapshot, then live events.
   * `keyHash` is the stored hash it was let in with, to close it when the key is rotated.
   */
  attach(guildId: string, ws: WebSocket, keyHash: string): void {
    const client: Client = { ws, keyHash, alive: true, pending: [] };
    let set = this.sockets.get(guildId);
    if (!set) {
      set = new Set();
      this.sockets.set(guildId, set);
    }
    set.add(client);
    const watching = this.deps.transport.watch(guildId);
    ws.on('pong', () => {
      client.alive = true;
    });
    ws.on('error', (err) => this.log(guildId).debug({ err: err.message }, 'overlay socket error'));
    ws.on('close', () => {
      void this.deps.transport.unwatch(guildId);
      this.detach(guildId, client);
    });
    // The snapshot goes out once the guild's channel is live, so that nothing falls between the two.
    Promise.all([this.snapshot(guildId), watching])
      .then(([data]) => {
        if (ws.readyState !== ws.OPEN) return;
        ws.send(encode(overlayEvent('snapshot', data, this.now())), { binary: false });
        for (const frame of client.pending ?? []) ws.send(frame, { binary: false });
        client.pending = null;
      })
      .catch((err) => {
        this.log(guildId).warn({ err }, 'overlay snapshot failed');
        ws.close(1011, 'snapshot failed');
      });
  }

  /** Publishes an event from outside the buses (the internal REST inputs). */
  publish(guildId: string, event: BroadcastEvent): void {
    this.deps.transport.publish({ kind: 'event', guildId, event });
  }

  /** Open sockets, for one guild or all. */
  connections(guildId?: string): number {
    if (guildId !== undefined) return this.sockets.get(guildId)?.size ?? 0;
    let n = 0;
    for (const set of this.sockets.values()) n += set.size;
    return n;
  }

  /** Stops listening and closes every socket with 1001 (going away): pages reconnect to another instance. */
  async close(): Promise<void> {
    for (const fn of this.unsubscribe.splice(0)) fn();
    this.queueUpdates.close();
    this.nowPlayingUpdates.close();
    clearInterval(this.heartbeat);
    for (const set of this.sockets.values()) for (const c of set) c.ws.close(1001, 'server restarting');
    this.sockets.clear();
  }

  /** The source's snapshot; where it knows nothing, the last live event this hub saw fills in. */
  async snapshot(guildId: string): Promise<SnapshotData> {
    const data = await this.deps.source.snapshot(guildId);
    const latest = this.latest.get(guildId);
    if (!latest) return data;
    return {
      ...data,
      now_playing:
        data.now_playing.track || !latest.now_playing
          ? data.now_playing
          : advanceNowPlaying(latest.now_playing, this.deps.clock.now()),
      mode: data.mode.switched_at || !latest.mode_change ? data.mode : latest.mode_change,
      radio: data.radio ?? latest.radio_update ?? null,
    };
  }

  /**
   * What the pages show as playing: the last live now-playing frame this hub passed on (from the player
   * or the internal input), else the snapshot's. The lyrics route finds lyrics for this song only.
   */
  async nowPlayingShown(guildId: string): Promise<NowPlayingData> {
    return this.latest.get(guildId)?.now_playing ?? (await this.snapshot(guildId)).now_playing;
  }

  /** Artwork the overlay shows now (snapshot, last live events): all the artwork route may fetch. */
  async artworkUrls(guildId: string): Promise<Set<string>> {
    const latest = this.latest.get(guildId);
    const now = await this.snapshot(guildId);
    return shownArtwork([latest?.now_playing, now.now_playing], [latest?.radio_update, now.radio]);
  }

  private onQueue(e: QueueEvent): void {
    if (e.type === 'queue.updated')
      this.deps.transport.publish({ kind: 'queue_changed', guildId: e.guildId });
    else if (e.type === 'item.started' || e.type === 'item.finished')
      this.nowPlayingUpdates.trigger(e.guildId);
  }

  private onMode(e: ModeEvent): void {
    this.publish(e.guildId, overlayEvent('mode_change', modeChangeData(e.state, this.now()), this.now()));
  }

  private onRadio(e: RadioEvent): void {
    const data = radioUpdateData(e.guildId, e.station, e.nowPlaying, this.now());
    this.publish(e.guildId, overlayEvent('radio_update', data, this.now()));
  }

  private async publishNowPlaying(guildId: string): Promise<void> {
    try {
      const data = await this.deps.source.nowPlaying(guildId);
      this.publish(guildId, overlayEvent('now_playing', data, this.now()));
    } catch (err) {
      this.log(guildId).warn({ err }, 'overlay now playing not read');
    }
  }

  private async sendQueue(guildId: string): Promise<void> {
    if (!this.sockets.has(guildId)) return;
    try {
      const data = await this.deps.source.queue(guildId);
      this.fanOut(guildId, encode(overlayEvent('queue_update', data, this.now())));
    } catch (err) {
      this.log(guildId).warn({ err }, 'overlay queue not read');
    }
  }

  private receive(message: LiveMessage): void {
    const { guildId } = message;
    if (message.kind === 'queue_changed') {
      // Only instances with a page open for the guild read its queue.
      if (this.sockets.has(guildId)) this.queueUpdates.trigger(guildId);
    } else if (message.kind === 'key_rotated') {
      void this.revoke(guildId);
    } else {
      this.remember(guildId, message.event);
      if (this.sockets.has(guildId)) this.fanOut(guildId, encode(message.event));
    }
  }

  private remember(guildId: string, event: BroadcastEvent): void {
    const entry = this.latest.get(guildId) ?? {};
    this.latest.delete(guildId);
    if (event.type === 'now_playing') entry.now_playing = event.data;
    else if (event.type === 'mode_change') entry.mode_change = event.data;
    else entry.radio_update = event.data;
    this.latest.set(guildId, entry);
    if (this.latest.size > LATEST_LIMIT) this.latest.delete(this.latest.keys().next().value!);
  }

  /** Closes the guild's sockets that were let in with a key that is no longer current. */
  private async revoke(guildId: string): Promise<void> {
    const set = this.sockets.get(guildId);
    if (!set) return;
    const current = await this.deps.keys.currentHash(guildId);
    for (const c of set) {
      if (c.keyHash !== current) c.ws.close(CLOSE_KEY_ROTATED, 'overlay key rotated');
    }
  }

  private fanOut(guildId: string, frame: Buffer): void {
    for (const c of this.sockets.get(guildId) ?? []) {
      if (c.pending) {
        if (c.pending.length >= PENDING_LIMIT) c.ws.terminate();
        else c.pending.push(frame);
      } else if (c.ws.bufferedAmount > this.maxBuffered) {
        this.log(guildId).info('overlay socket too slow; dropped');
        c.ws.terminate();
      } else {
        c.ws.send(frame, { binary: false });
      }
    }
  }

  private beat(): void {
    for (const set of this.sockets.values()) {
      for (const c of set) {
        if (!c.alive) {
          c.ws.terminate();
          continue;
        }
        c.alive = false;
        c.ws.ping();
      }
    }
  }

  private detach(guildId: string, client: Client): void {
    const set = this.sockets.get(guildId);
    if (!set) return;
    set.delete(client);
    if (set.size === 0) this.sockets.delete(guildId);
  }

  private now(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  private log(guildId: string): Logger {
    return this.deps.logger.child({ guildId });
  }
}
