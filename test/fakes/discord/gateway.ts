import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { GatewayDispatchEvents, GatewayOpcodes } from 'discord-api-types/v10';
import { type WebSocket, WebSocketServer } from 'ws';

/** A shard: `[shard_id, num_shards]`, as IDENTIFY carries it. */
export type Shard = [number, number];

interface Session {
  id: string;
  seq: number;
  shard: Shard;
  socket: WebSocket | null;
  /** Dispatches sent in this session, for RESUME. */
  sent: { s: number; t: string; d: unknown }[];
}

export interface GatewayHooks {
  /**
   * IDENTIFY arrived and was accepted: answer with READY and the shard's GUILD_CREATEs through
   * `dispatchTo(session, ...)`.
   */
  onIdentify(intents: number, shard: Shard, session: string): void;
  /** op 4, a voice state update from the bot. */
  onVoiceStateUpdate(data: {
    guild_id: string;
    channel_id: string | null;
    self_deaf?: boolean;
    self_mute?: boolean;
  }): void;
  /**
   * Why an IDENTIFY must be refused, as Discord closes: 4010 invalid shard, 4011 sharding required,
   * 4014 disallowed intents; null to accept.
   */
  refuseIdentify(intents: number, shard: Shard): { code: number; reason: string } | null;
}

/** The shard Discord sends a guild's events on. */
export function shardOfGuild(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** Seconds a max_concurrency bucket waits between two IDENTIFYs (Discord: one per 5 s). */
const IDENTIFY_WINDOW_MS = 5_000;

/**
 * The gateway (API v10, JSON, no compression): HELLO, IDENTIFY -> READY, heartbeats, RESUME with
 * replay of what the client missed, and dispatches. It shards as Discord does: each IDENTIFY names
 * `shard: [id, count]`, and a guild's events go only to the session of its shard
 * (`(guild_id >> 22) % count`); events without a guild go to shard 0. Several sessions (one per shard,
 * from one process or many) are open at once.
 */
export class FakeGateway {
  private readonly wss: WebSocketServer;
  private readonly hooks: GatewayHooks;
  private readonly sessions = new Map<string, Session>();
  private sessionCounter = 0;
  /** The last IDENTIFY of each rate-limit bucket (`shard_id % max_concurrency`). */
  private readonly lastIdentify = new Map<number, number>();
  readonly received: { op: number; d: unknown }[] = [];
  identified = 0;
  resumed = 0;
  /** `session_start_limit.max_concurrency`: how many buckets IDENTIFYs are paced in. */
  maxConcurrency = 1;
  /** IDENTIFYs that came sooner than Discord allows for their bucket (a client pacing bug). */
  readonly identifyTooSoon: Shard[] = [];

  private constructor(wss: WebSocketServer, hooks: GatewayHooks) {
    this.wss = wss;
    this.hooks = hooks;
    wss.on('connection', (socket) => this.accept(socket));
  }

  static async start(hooks: GatewayHooks): Promise<FakeGateway> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    return new FakeGateway(wss, hooks);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }

  /** The newest session's id (a single-shard bot has one). */
  get sessionId(): string | null {
    return [...this.sessions.values()].at(-1)?.id ?? null;
  }

  /** The shards with a connected session, as `id/count`. */
  get connectedShards(): string[] {
    return [...this.sessions.values()]
      .filter((s) => s.socket?.readyState === 1)
      .map((s) => `${s.shard[0]}/${s.shard[1]}`)
      .sort();
  }

  private accept(socket: WebSocket): void {
    socket.send(
      JSON.stringify({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: 41_250 }, s: null, t: null }),
    );
    socket.on('message', (raw) => {
      let payload: { op: number; d: Record<string, unknown> };
      try {
        payload = JSON.parse(String(raw));
      } catch {
        socket.close(4002, 'Decode error');
        return;
      }
      this.received.push(payload);
      this.handle(socket, payload);
    });
  }

  private handle(socket: WebSocket, { op, d }: { op: number; d: Record<string, unknown> }): void {
    switch (op) {
      case GatewayOpcodes.Heartbeat:
        socket.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null }));
        return;
      case GatewayOpcodes.Identify:
        this.identify(socket, d);
        return;
      case GatewayOpcodes.Resume: {
        const session = this.sessions.get(String(d.session_id));
        if (!session) {
          socket.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null }));
          return;
        }
        session.socket = socket;
        this.resumed += 1;
        for (const missed of session.sent.filter((e) => e.s > Number(d.seq))) {
          socket.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, ...missed }));
        }
        this.send(session, GatewayDispatchEvents.Resumed, {});
        return;
      }
      case GatewayOpcodes.VoiceStateUpdate:
        this.hooks.onVoiceStateUpdate(d as never);
        return;
      default:
        return;
    }
  }

  private identify(socket: WebSocket, d: Record<string, unknown>): void {
    const raw = d.shard;
    const shard: Shard =
      Array.isArray(raw) && raw.length === 2 && raw.every((n) => Number.isInteger(n))
        ? [raw[0] as number, raw[1] as number]
        : [0, 1];
    const intents = Number(d.intents);
    if (shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1]) {
      socket.close(4010, 'Invalid shard.');
      return;
    }
    const refusal = this.hooks.refuseIdentify(intents, shard);
    if (refusal) {
      socket.close(refusal.code, refusal.reason);
      return;
    }
    // One IDENTIFY per rate-limit key (shard_id % max_concurrency) per 5 s for the whole bot: one that
    // comes sooner starts no session; Discord answers Invalid Session (op 9, not resumable).
    const bucket = shard[0] % this.maxConcurrency;
    const now = Date.now();
    const last = this.lastIdentify.get(bucket);
    if (last !== undefined && now - last < IDENTIFY_WINDOW_MS) {
      this.identifyTooSoon.push(shard);
      socket.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null }));
      return;
    }
    this.lastIdentify.set(bucket, now);
    // A new IDENTIFY for a shard replaces that shard's old session, as on Discord.
    for (const [id, old] of this.sessions) {
      if (old.shard[0] === shard[0] && old.shard[1] === shard[1]) {
        this.sessions.delete(id);
        if (old.socket && old.socket !== socket) old.socket.close(4000, 'Replaced');
      }
    }
    this.sessionCounter += 1;
    const session: Session = { id: `session-${this.sessionCounter}`, seq: 0, shard, socket, sent: [] };
    this.sessions.set(session.id, session);
    this.identified += 1;
    this.hooks.onIdentify(intents, shard, session.id);
  }

  /**
   * Sends a dispatch to the session of the guild's shard (`d.guild_id`, or `d.id` for GUILD_CREATE),
   * or to shard 0 for events without a guild. Kept for RESUME even while the socket is down.
   */
  dispatch(t: string, d: unknown): void {
    const data = d as { guild_id?: unknown; id?: unknown } | null;
    const guildId =
      typeof data?.guild_id === 'string'
        ? data.guild_id
        : t === GatewayDispatchEvents.GuildCreate && typeof data?.id === 'string'
          ? data.id
          : null;
    for (const session of this.sessions.values()) {
      const [id, count] = session.shard;
      if (guildId === null ? id === 0 : shardOfGuild(guildId, count) === id) this.send(session, t, d);
    }
  }

  /** Sends a dispatch in one session (READY). */
  dispatchTo(sessionId: string, t: string, d: unknown): void {
    const session = this.sessions.get(sessionId);
    if (session) this.send(session, t, d);
  }

  private send(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const event = { s: session.seq, t, d };
    session.sent.push(event);
    if (session.sent.length > 1000) session.sent.shift();
    if (session.socket?.readyState === 1)
      session.socket.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, ...event }));
  }

  /** Drops the client's connections as a network break would (code 4000: resumable). */
  disconnect(): void {
    for (const session of this.sessions.values()) {
      const socket = session.socket;
      session.socket = null;
      socket?.close(4000, 'Unknown error');
    }
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
