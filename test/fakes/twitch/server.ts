import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { formatLine, type IrcMessage, parseLine } from './irc.ts';

/*
 * A fake of Twitch's chat interface (IRC over WebSocket, https://dev.twitch.tv/docs/chat/irc/) on
 * loopback, as strict as Twitch where a bot can go wrong: PASS must be `oauth:<token>` of a known,
 * unrevoked token for the NICK it names ("Login authentication failed" otherwise, then the socket
 * closes); only the three Twitch capabilities are ACKed; a PRIVMSG needs a joined channel and at most
 * 500 characters; more than 20 PRIVMSG in 30 seconds closes the connection (a bot that is not a
 * moderator); CR, LF and NUL never appear inside a line. Each refusal is recorded in `refusals`.
 */

const HOST = 'tmi.twitch.tv';
const CAPS = new Set(['twitch.tv/tags', 'twitch.tv/commands', 'twitch.tv/membership']);
/** Twitch's limit on a chat message, in characters. */
export const MAX_MESSAGE_CHARS = 500;
const RATE = { messages: 20, windowMs: 30_000 };

export interface FakeViewer {
  login: string;
  displayName?: string;
  userId: string;
  mod?: boolean;
  broadcaster?: boolean;
  subscriber?: boolean;
}

/** A line the bot said in a channel. */
export interface BotLine {
  channel: string;
  nick: string;
  text: string;
}

interface Session {
  socket: WebSocket;
  caps: Set<string>;
  pass: string | null;
  nick: string | null;
  authed: boolean;
  joined: Set<string>;
  sent: number[];
}

export class FakeTwitchChat {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<Session>();
  /** Tokens the fake accepts, by login. */
  private readonly tokens = new Map<string, string>();
  private readonly revoked = new Set<string>();
  private readonly waiters = new Set<() => void>();
  /** Every line the bot said, in order. */
  readonly said: BotLine[] = [];
  /** What the fake refused, in words (a test of a well-behaved client expects none). */
  readonly refusals: string[] = [];
  /** Logins that succeeded and that were refused, counted. */
  logins = 0;
  failedLogins = 0;
  pongs = 0;

  private constructor(wss: WebSocketServer) {
    this.wss = wss;
    wss.on('connection', (socket) => this.accept(socket));
  }

  static async start(): Promise<FakeTwitchChat> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    return new FakeTwitchChat(wss);
  }

  /** The TWITCH_CHAT_URL for the fake. */
  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }

  /** Lets `login` in with `token` (without `oauth:`). */
  addAccount(login: string, token: string): void {
    this.tokens.set(login.toLowerCase(), token);
  }

  /** The token stops working for new logins (as a revoked token does; live sessions are not closed). */
  revoke(token: string): void {
    this.revoked.add(token);
  }

  /** Whether a logged-in connection has joined `channel`. */
  hasJoined(channel: string): boolean {
    return [...this.sessions].some((s) => s.authed && s.joined.has(`#${channel}`));
  }

  /** How many connections are open (logged in or not). */
  get openConnections(): number {
    return this.sessions.size;
  }

  /** Resolves once `probe` holds; checked on every change the fake sees. */
  until(probe: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    if (probe()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`fake twitch chat: waited ${timeoutMs} ms for ${what}`));
      }, timeoutMs);
      const check = () => {
        if (!probe()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  /** The next line the bot says in `channel` (after now) that passes `match`. */
  async nextLine(channel: string, match: (text: string) => boolean = () => true): Promise<string> {
    const from = this.said.length;
    let found: BotLine | undefined;
    await this.until(() => {
      found = this.said.slice(from).find((l) => l.channel === `#${channel}` && match(l.text));
      return found !== undefined;
    }, `a line in #${channel}`);
    return found!.text;
  }

  /**
   * A viewer types `text` in `channel`: every connection that joined it gets the PRIVMSG with the
   * tags Twitch sends. Throws for a message Twitch's own chat would not send (over 500 characters),
   * unless `unchecked` (what a relay that does not check would deliver).
   */
  viewerSays(channel: string, viewer: FakeViewer, text: string, options: { unchecked?: boolean } = {}): void {
    if (!options.unchecked && [...text].length > MAX_MESSAGE_CHARS) {
      throw new Error(`Twitch chat does not send a message of ${[...text].length} characters`);
    }
    const badges = [
      viewer.broadcaster ? 'broadcaster/1' : null,
      viewer.mod ? 'moderator/1' : null,
      viewer.subscriber ? 'subscriber/12' : null,
    ].filter(Boolean);
    const tags = {
      'badge-info': viewer.subscriber ? 'subscriber/14' : '',
      badges: badges.join(','),
      color: '#1E90FF',
      'display-name': viewer.displayName ?? viewer.login,
      emotes: '',
      'first-msg': '0',
      flags: '',
      id: randomUUID(),
      mod: viewer.mod ? '1' : '0',
      'returning-chatter': '0',
      'room-id': '12826',
      subscriber: viewer.subscriber ? '1' : '0',
      'tmi-sent-ts': String(Date.now()),
      turbo: '0',
      'user-id': viewer.userId,
      'user-type': viewer.mod ? 'mod' : '',
    };
    const prefix = `${viewer.login}!${viewer.login}@${viewer.login}.${HOST}`;
    for (const s of this.sessions) {
      if (!s.authed || !s.joined.has(`#${channel}`)) continue;
      const withTags = s.caps.has('twitch.tv/tags') ? tags : {};
      this.send(s, { tags: withTags, prefix, command: 'PRIVMSG', params: [`#${channel}`, text] });
    }
  }

  /** Closes every connection without a word (a network drop or a Twitch restart). */
  dropConnections(): void {
    for (const s of this.sessions) s.socket.terminate();
  }

  /** Tells every client to reconnect (Twitch's RECONNECT before maintenance). */
  sendReconnect(): void {
    for (const s of this.sessions) this.send(s, { prefix: HOST, command: 'RECONNECT' });
  }

  /** Sends PING to every client (they must answer PONG). */
  ping(): void {
    for (const s of this.sessions) this.send(s, { command: 'PING', params: [HOST] });
  }

  async close(): Promise<void> {
    for (const s of this.sessions) s.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private changed(): void {
    for (const check of [...this.waiters]) check();
  }

  private accept(socket: WebSocket): void {
    const session: Session = {
      socket,
      caps: new Set(),
      pass: null,
      nick: null,
      authed: false,
      joined: new Set(),
      sent: [],
    };
    this.sessions.add(session);
    socket.on('message', (data) => {
      for (const line of data.toString('utf8').split('\r\n')) {
        if (line.length > 0) this.receive(session, line);
      }
    });
    socket.on('close', () => {
      this.sessions.delete(session);
      this.changed();
    });
    this.changed();
  }

  private send(session: Session, message: Partial<IrcMessage> & { command: string }): void {
    if (session.socket.readyState === session.socket.OPEN) session.socket.send(`${formatLine(message)}\r\n`);
  }

  private refuse(session: Session, why: string, close = false): void {
    this.refusals.push(why);
    this.changed();
    if (close) session.socket.close();
  }

  private receive(s: Session, line: string): void {
    if (/[\r\n\0]/.test(line)) {
      this.refuse(s, `a line with CR, LF or NUL: ${JSON.stringify(line)}`, true);
      return;
    }
    const msg = parseLine(line);
    if (!msg) {
      this.refuse(s, `a malformed line: ${line}`);
      return;
    }
    switch (msg.command) {
      case 'CAP': {
        this.cap(s, msg);
        return;
      }
      case 'PASS':
        s.pass = msg.params[0] ?? '';
        return;
      case 'NICK':
        s.nick = (msg.params[0] ?? '').toLowerCase();
        {
          this.login(s);
          return;
        }
      case 'PING': {
        this.send(s, { prefix: HOST, command: 'PONG', params: [HOST, msg.params[0] ?? HOST] });
        return;
      }
      case 'PONG':
        this.pongs += 1;
        this.changed();
        return;
    }
    if (!s.authed) {
      this.refuse(s, `${msg.command} before logging in`, true);
      return;
    }
    switch (msg.command) {
      case 'JOIN': {
        this.join(s, msg);
        return;
      }
      case 'PART':
        for (const c of (msg.params[0] ?? '').split(',')) {
          if (s.joined.delete(c)) this.send(s, { prefix: this.userPrefix(s), command: 'PART', params: [c] });
        }
        this.changed();
        return;
      case 'PRIVMSG': {
        this.privmsg(s, msg);
        return;
      }
      default:
        this.send(s, {
          prefix: HOST,
          command: '421',
          params: [s.nick ?? '*', msg.command, 'Unknown command'],
        });
    }
  }

  private cap(s: Session, msg: IrcMessage): void {
    if (msg.params[0] !== 'REQ') return;
    const wanted = (msg.params[1] ?? '').split(' ').filter(Boolean);
    const ok = wanted.every((c) => CAPS.has(c));
    if (ok) for (const c of wanted) s.caps.add(c);
    this.send(s, { prefix: HOST, command: 'CAP', params: ['*', ok ? 'ACK' : 'NAK', wanted.join(' ')] });
  }

  private login(s: Session): void {
    const nick = s.nick ?? '';
    const pass = s.pass ?? '';
    if (!pass.startsWith('oauth:')) {
      this.failedLogins += 1;
      this.send(s, { prefix: HOST, command: 'NOTICE', params: ['*', 'Improperly formatted auth'] });
      this.refuse(s, `PASS without oauth: for ${nick}`, true);
      return;
    }
    const token = pass.slice('oauth:'.length);
    if (this.tokens.get(nick) !== token || this.revoked.has(token)) {
      this.failedLogins += 1;
      this.send(s, { prefix: HOST, command: 'NOTICE', params: ['*', 'Login authentication failed'] });
      this.changed();
      s.socket.close();
      return;
    }
    s.authed = true;
    this.logins += 1;
    const welcome: [string, string][] = [
      ['001', 'Welcome, GLHF!'],
      ['002', `Your host is ${HOST}`],
      ['003', 'This server is rather new'],
      ['004', '-'],
      ['375', '-'],
      ['372', 'You are in a maze of twisty passages, all alike.'],
      ['376', '>'],
    ];
    for (const [code, text] of welcome) this.send(s, { prefix: HOST, command: code, params: [nick, text] });
    if (s.caps.has('twitch.tv/commands')) {
      this.send(s, {
        tags: s.caps.has('twitch.tv/tags')
          ? {
              'badge-info': '',
              badges: '',
              color: '',
              'display-name': nick,
              'emote-sets': '0',
              'user-id': '900001',
              'user-type': '',
            }
          : {},
        prefix: HOST,
        command: 'GLOBALUSERSTATE',
      });
    }
    this.changed();
  }

  private join(s: Session, msg: IrcMessage): void {
    for (const channel of (msg.params[0] ?? '').split(',')) {
      if (!/^#[a-z0-9_]{3,25}$/.test(channel)) {
        this.send(s, {
          prefix: HOST,
          command: 'NOTICE',
          params: [channel, `Invalid channel name ${channel}`],
        });
        this.refuse(s, `JOIN of an invalid channel name ${channel}`);
        continue;
      }
      s.joined.add(channel);
      this.send(s, { prefix: this.userPrefix(s), command: 'JOIN', params: [channel] });
      this.send(s, { prefix: `${s.nick}.${HOST}`, command: '353', params: [s.nick!, '=', channel, s.nick!] });
      this.send(s, {
        prefix: `${s.nick}.${HOST}`,
        command: '366',
        params: [s.nick!, channel, 'End of /NAMES list'],
      });
      if (s.caps.has('twitch.tv/commands')) {
        this.send(s, { tags: this.userState(s), prefix: HOST, command: 'USERSTATE', params: [channel] });
        this.send(s, {
          tags: s.caps.has('twitch.tv/tags')
            ? {
                'emote-only': '0',
                'followers-only': '-1',
                r9k: '0',
                'room-id': '12826',
                slow: '0',
                'subs-only': '0',
              }
            : {},
          prefix: HOST,
          command: 'ROOMSTATE',
          params: [channel],
        });
      }
    }
    this.changed();
  }

  private privmsg(s: Session, msg: IrcMessage): void {
    const [channel = '', text = ''] = msg.params;
    if (!s.joined.has(channel)) {
      this.refuse(s, `PRIVMSG to ${channel}, not joined`);
      return;
    }
    if ([...text].length > MAX_MESSAGE_CHARS) {
      this.refuse(s, `PRIVMSG of ${[...text].length} characters to ${channel}`);
      return;
    }
    const now = Date.now();
    s.sent = s.sent.filter((t) => now - t < RATE.windowMs);
    s.sent.push(now);
    if (s.sent.length > RATE.messages) {
      this.refuse(s, `more than ${RATE.messages} PRIVMSG in ${RATE.windowMs / 1000} s`, true);
      return;
    }
    this.said.push({ channel, nick: s.nick!, text });
    if (s.caps.has('twitch.tv/commands')) {
      this.send(s, { tags: this.userState(s), prefix: HOST, command: 'USERSTATE', params: [channel] });
    }
    this.changed();
  }

  private userPrefix(s: Session): string {
    return `${s.nick}!${s.nick}@${s.nick}.${HOST}`;
  }

  private userState(s: Session): Record<string, string> {
    if (!s.caps.has('twitch.tv/tags')) return {};
    return {
      'badge-info': '',
      badges: '',
      color: '',
      'display-name': s.nick ?? '',
      'emote-sets': '0',
      mod: '0',
      subscriber: '0',
      'user-type': '',
    };
  }
}
