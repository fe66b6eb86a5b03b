import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { GatewayDispatchEvents, GatewayOpcodes } from 'discord-api-types/v10';
import { type WebSocket, WebSocketServer } from 'ws';

interface Session {
  id: string;
  seq: number;
  socket: WebSocket | null;
  /** Dispatches sent in this session, for RESUME. */
  sent: { s: number; t: string; d: unknown }[];
}

export interface GatewayHooks {
  /** IDENTIFY arrived: answer with READY and GUILD_CREATEs through `dispatch`. */
  onIdentify(intents: number): void;
  /** op 4, a voice state update from the bot. */
  onVoiceStateUpdate(data: {
    guild_id: string;
    channel_id: string | null;
    self_deaf?: boolean;
    self_mute?: boolean;
  }): void;
}

/**
 * The gateway (API v10, JSON, no compression): HELLO, IDENTIFY -> READY, heartbeats, RESUME with
 * replay of what the client missed, and dispatches.
 */
export class FakeGateway {
  private readonly wss: WebSocketServer;
  private readonly hooks: GatewayHooks;
  private session: Session | null = null;
  private sessionCounter = 0;
  readonly received: { op: number; d: unknown }[] = [];
  identified = 0;
  resumed = 0;

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

  get sessionId(): string | null {
    return this.session?.id ?? null;
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
        this.sessionCounter += 1;
        this.session = { id: `session-${this.sessionCounter}`, seq: 0, socket, sent: [] };
        this.identified += 1;
        this.hooks.onIdentify(Number(d.intents));
        return;
      case GatewayOpcodes.Resume: {
        const session = this.session;
        if (!session || d.session_id !== session.id) {
          socket.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null }));
          return;
        }
        session.socket = socket;
        this.resumed += 1;
        for (const missed of session.sent.filter((e) => e.s > Number(d.seq))) {
          socket.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, ...missed }));
        }
        this.dispatch(GatewayDispatchEvents.Resumed, {});
        return;
      }
      case GatewayOpcodes.VoiceStateUpdate:
        this.hooks.onVoiceStateUpdate(d as never);
        return;
      default:
        return;
    }
  }

  /** Sends a dispatch in the current session (kept for RESUME even while the socket is down). */
  dispatch(t: string, d: unknown): void {
    const session = this.session;
    if (!session) return;
    session.seq += 1;
    const event = { s: session.seq, t, d };
    session.sent.push(event);
    if (session.sent.length > 1000) session.sent.shift();
    if (session.socket?.readyState === 1)
      session.socket.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, ...event }));
  }

  /** Drops the client's connection as a network break would (code 4000: resumable). */
  disconnect(): void {
    const socket = this.session?.socket;
    if (this.session) this.session.socket = null;
    socket?.close(4000, 'Unknown error');
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
