import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { VoiceOpcodes } from 'discord-api-types/voice/v8';
import OpusScript from 'opusscript';
import { type WebSocket, WebSocketServer } from 'ws';
import { testCertificate } from './cert.ts';
import { type DaveCallPlan, DaveGroup } from './dave-group.ts';
import { isSilence, openPacket, type RtpPacket } from './rtp.ts';

/** One bot connection to the voice server (one guild), with everything it sent. */
export class VoiceSessionFake {
  readonly guildId: string;
  readonly userId: string;
  readonly ssrc: number;
  readonly secretKey = randomBytes(32);
  readonly identify: Record<string, unknown>;
  readonly packets: RtpPacket[] = [];
  readonly speaking: unknown[] = [];
  socket: WebSocket;
  closed = false;
  closeCode: number | null = null;
  /** The DAVE side of this connection when the server speaks protocol version 1 (null for version 0). */
  dave: DaveGroup | null = null;
  /** Errors the fake's DAVE handling met (a test can assert there were none). */
  readonly daveErrors: string[] = [];
  private seq = 0;
  private waiters: (() => void)[] = [];
  private decoder: OpusScript | null = null;

  constructor(socket: WebSocket, identify: Record<string, unknown>, ssrc: number) {
    this.socket = socket;
    this.identify = identify;
    this.guildId = String(identify.server_id);
    this.userId = String(identify.user_id);
    this.ssrc = ssrc;
  }

  send(op: number, d: unknown): void {
    this.seq += 1;
    if (this.socket.readyState === 1) this.socket.send(JSON.stringify({ op, d, seq: this.seq }));
  }

  /** A binary frame `[u16 seq][u8 op][payload]`; the seq counts with the JSON ones. */
  sendBinary(op: number, payload: Buffer): void {
    this.seq += 1;
    const head = Buffer.alloc(3);
    head.writeUInt16BE(this.seq & 0xffff);
    head.writeUInt8(op, 2);
    if (this.socket.readyState === 1) this.socket.send(Buffer.concat([head, payload]));
  }

  /** Any bytes as one binary frame (for malformed-frame tests). */
  sendRaw(frame: Buffer): void {
    if (this.socket.readyState === 1) this.socket.send(frame);
  }

  /** Runs a DAVE step; a failure is recorded for the test instead of breaking the fake. */
  daveStep(step: () => void): void {
    try {
      step();
    } catch (err) {
      this.daveErrors.push(String(err));
    }
  }

  receive(packet: RtpPacket): void {
    this.packets.push(packet);
    this.notify();
  }

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when `test` holds, checked on every packet and state change. */
  async until(test: () => boolean): Promise<void> {
    while (!test()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Audio frames (not the silence frames that end a stream), from `from` on. */
  audio(from = 0): RtpPacket[] {
    return this.packets.slice(from).filter((p) => !isSilence(p.opus));
  }

  /** Decodes Opus frames to 48 kHz stereo PCM. */
  pcm(packets: RtpPacket[]): Int16Array {
    this.decoder ??= new OpusScript(48_000, 2, OpusScript.Application.AUDIO);
    const frames: Int16Array[] = [];
    for (const p of packets) {
      if (isSilence(p.opus)) continue;
      const decoded = this.decoder.decode(p.opus);
      frames.push(new Int16Array(decoded.buffer, decoded.byteOffset, decoded.byteLength / 2));
    }
    const out = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
    let offset = 0;
    for (const f of frames) {
      out.set(f, offset);
      offset += f.length;
    }
    return out;
  }
}

/**
 * Discord's voice server as @discordjs/voice 0.19 sees it: a TLS WebSocket (v8: HELLO, IDENTIFY,
 * READY, heartbeats with seq_ack, SELECT_PROTOCOL, SESSION_DESCRIPTION with `aead_aes256_gcm_rtpsize`,
 * SPEAKING, RESUME) and a UDP socket for IP discovery and RTP, decrypted per session.
 */
export class FakeVoiceServer {
  readonly sessions = new Map<string, VoiceSessionFake>();
  readonly history: VoiceSessionFake[] = [];
  readonly daveVersion: number;
  private readonly davePlans = new Map<string, DaveCallPlan>();
  private readonly https: Server;
  private readonly wss: WebSocketServer;
  private readonly udp: Socket;
  private nextSsrc = 1000;
  private waiters: (() => void)[] = [];

  private constructor(https: Server, udp: Socket, daveVersion: number) {
    this.https = https;
    this.udp = udp;
    this.daveVersion = daveVersion;
    this.wss = new WebSocketServer({ server: https });
    this.wss.on('connection', (socket) => this.accept(socket));
    udp.on('message', (msg, rinfo) => this.onUdp(msg, rinfo));
  }

  static async start(options: { daveVersion?: number } = {}): Promise<FakeVoiceServer> {
    const { key, cert } = testCertificate();
    const https = createServer({ key, cert });
    https.listen(0, '127.0.0.1');
    await once(https, 'listening');
    const udp = createSocket('udp4');
    udp.bind(0, '127.0.0.1');
    await once(udp, 'listening');
    return new FakeVoiceServer(https, udp, options.daveVersion ?? 0);
  }

  /** 'host:port' for VOICE_SERVER_UPDATE. */
  get endpoint(): string {
    return `127.0.0.1:${(this.https.address() as AddressInfo).port}`;
  }

  /** The path to give the bot as NODE_EXTRA_CA_CERTS, so it trusts this server. */
  get caBundle(): string {
    return testCertificate().bundlePath;
  }

  /**
   * Under DAVE: who else is in the guild's call when the bot connects, and how the bot joins their group.
   * Without a plan the bot is alone and nothing is negotiated (it sends plain frames, as Discord's clients do).
   */
  daveCall(guildId: string, plan: DaveCallPlan): void {
    this.davePlans.set(guildId, plan);
  }

  session(guildId: string): VoiceSessionFake | undefined {
    return this.sessions.get(guildId);
  }

  /** Resolves with the guild's session once the bot has connected and selected its protocol. */
  async connected(guildId: string): Promise<VoiceSessionFake> {
    await this.until(() => this.sessions.get(guildId)?.identify !== undefined);
    return this.sessions.get(guildId)!;
  }

  async until(test: () => boolean): Promise<void> {
    while (!test()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private accept(socket: WebSocket): void {
    let session: VoiceSessionFake | null = null;
    let seq = 0;
    const send = (op: number, d: unknown) => {
      if (session) session.send(op, d);
      else socket.send(JSON.stringify({ op, d, seq: ++seq }));
    };
    send(VoiceOpcodes.Hello, { heartbeat_interval: 13_750 });
    socket.on('message', (raw, isBinary) => {
      if (isBinary) {
        const frame = raw as Buffer;
        const dave = session?.dave;
        if (dave && frame.length > 0) session!.daveStep(() => dave.onBinary(frame[0]!, frame.subarray(1)));
        session?.notify();
        return;
      }
      const { op, d } = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> };
      switch (op) {
        case VoiceOpcodes.Identify: {
          session = new VoiceSessionFake(socket, d, this.nextSsrc++);
          this.sessions.set(session.guildId, session);
          this.history.push(session);
          if (this.daveVersion >= 1) {
            const plan = this.davePlans.get(session.guildId) ?? { channelId: '0', members: [] };
            session.dave = new DaveGroup(session, plan);
          }
          const port = (this.udp.address() as AddressInfo).port;
          send(VoiceOpcodes.Ready, {
            ssrc: session.ssrc,
            ip: '127.0.0.1',
            port,
            modes: ['aead_aes256_gcm_rtpsize', 'aead_xchacha20_poly1305_rtpsize'],
            heartbeat_interval: 13_750,
          });
          break;
        }
        case VoiceOpcodes.Resume: {
          const existing = this.sessions.get(String(d.server_id));
          if (existing) {
            existing.socket = socket;
            session = existing;
            send(VoiceOpcodes.Resumed, null);
          }
          break;
        }
        case VoiceOpcodes.SelectProtocol:
          send(VoiceOpcodes.SessionDescription, {
            mode: (d.data as { mode: string }).mode,
            secret_key: [...session!.secretKey],
            dave_protocol_version: this.daveVersion,
          });
          break;
        case VoiceOpcodes.Heartbeat:
          send(VoiceOpcodes.HeartbeatAck, { t: (d as { t?: number }).t ?? d });
          break;
        case VoiceOpcodes.Speaking:
          session?.speaking.push(d);
          break;
        case VoiceOpcodes.DaveTransitionReady:
        case VoiceOpcodes.DaveMlsInvalidCommitWelcome: {
          const dave = session?.dave;
          if (dave) session!.daveStep(() => dave.onJson(op, d));
          break;
        }
        default:
          break;
      }
      this.notify();
      session?.notify();
    });
    socket.on('close', (code) => {
      if (session && session.socket === socket) {
        session.closed = true;
        session.closeCode = code;
        session.notify();
      }
      this.notify();
    });
  }

  private onUdp(msg: Buffer, rinfo: { address: string; port: number }): void {
    // IP discovery: [u16 type 1][u16 length 70][u32 ssrc][64 bytes] -> type 2 with the address and port.
    if (msg.length === 74 && msg.readUInt16BE(0) === 1) {
      const reply = Buffer.alloc(74);
      reply.writeUInt16BE(2, 0);
      reply.writeUInt16BE(70, 2);
      reply.writeUInt32BE(msg.readUInt32BE(4), 4);
      reply.write(rinfo.address, 8, 'ascii');
      reply.writeUInt16BE(rinfo.port, 72);
      this.udp.send(reply, rinfo.port, rinfo.address);
      return;
    }
    if (msg.length < 32 || (msg[0]! & 0xc0) !== 0x80) return; // keep-alives and the like
    const ssrc = msg.readUInt32BE(8);
    const session = [...this.sessions.values()].find((s) => s.ssrc === ssrc);
    if (!session) return;
    const packet = openPacket(msg, session.secretKey, performance.now());
    if (!packet) return;
    const dave = session.dave;
    if (dave) session.daveStep(() => dave.onMedia(packet));
    session.receive(packet);
  }

  /** Closes a guild's voice socket as Discord does when the bot is kicked (4014). */
  kick(guildId: string): void {
    this.sessions.get(guildId)?.socket.close(4014, 'Disconnected');
  }

  async stop(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.https.closeAllConnections();
    await new Promise<void>((resolve) => this.https.close(() => resolve()));
    this.udp.close();
  }
}
