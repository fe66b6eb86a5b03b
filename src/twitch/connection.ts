import tmi from 'tmi.js';
import type { Logger } from '../core/logger.ts';
import type { ChatViewer } from './chat-commands.ts';

/** Where one channel's chat connection is. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'stopped' | 'auth-failed';

/** What Twitch says (a NOTICE) when it refuses the bot's token: revoked, expired or wrong. */
const AUTH_REFUSED =
  /Login authentication failed|Login unsuccessful|Improperly formatted auth|Error logging in/i;

export interface ChatConnectionOptions {
  /** Twitch's chat interface, e.g. wss://irc-ws.chat.twitch.tv:443. */
  url: string;
  username: string;
  /** The bot account's user access token, without `oauth:`. */
  token: string;
  /** The channel's login, lowercase, without '#'. */
  channel: string;
  /** A viewer's line; the reply (one chat line) or null. */
  onMessage(viewer: ChatViewer, text: string): Promise<string | null>;
  /** Twitch refused the token: the connection has stopped and will not retry by itself. */
  onAuthFailure(reason: string): void;
  logger: Logger;
  /** First wait before a reconnect (it grows 1.5x a try up to 30 s). */
  reconnectIntervalMs?: number;
}

/** tmi.js logs through this: chat lines at debug (they are chat, not events), the rest as they are. */
function tmiLogger(logger: Logger) {
  let level = 'info';
  return {
    setLevel: (l: string) => {
      level = l;
    },
    getLevel: () => level,
    trace: (m: string) => logger.trace(m),
    debug: (m: string) => logger.debug(m),
    info: (m: string) => logger.debug(m),
    warn: (m: string) => logger.warn(m),
    error: (m: unknown) => logger.warn(String(m)),
    fatal: (m: unknown) => logger.error(String(m)),
  };
}

/** A viewer from a PRIVMSG's tags. */
export function viewerOf(tags: tmi.ChatUserstate): ChatViewer | null {
  const userId = tags['user-id'];
  if (!userId || !/^\d{1,20}$/.test(userId)) return null;
  const badges = tags.badges ?? {};
  return {
    userId,
    displayName: tags['display-name'] || tags.username || 'viewer',
    isModerator: tags.mod === true || badges.moderator !== undefined,
    isBroadcaster: badges.broadcaster !== undefined,
  };
}

/**
 * One linked channel's chat: the bot account joins it over Twitch's IRC-over-WebSocket interface
 * (through tmi.js, which asks for the tags and commands capabilities, answers PING and follows
 * RECONNECT), hands each viewer line to `onMessage` and says the reply. A dropped connection is
 * retried by tmi.js; a refused token stops it and calls `onAuthFailure`.
 */
export class ChatConnection {
  private readonly options: ChatConnectionOptions;
  private readonly client: tmi.Client;
  private current: ConnectionState = 'stopped';
  private readonly waiters = new Set<() => void>();

  constructor(options: ChatConnectionOptions) {
    this.options = options;
    const url = new URL(options.url);
    const secure = url.protocol === 'wss:';
    this.client = new tmi.Client({
      options: { skipUpdatingEmotesets: true, skipMembership: true, messagesLogLevel: 'debug' },
      connection: {
        server: url.hostname,
        port: Number(url.port || (secure ? 443 : 80)),
        secure,
        reconnect: true,
        reconnectInterval: options.reconnectIntervalMs ?? 1000,
        maxReconnectInterval: 30_000,
      },
      identity: { username: options.username, password: `oauth:${options.token}` },
      channels: [options.channel],
      logger: tmiLogger(options.logger),
    });
    this.client.on('message', (channel, tags, message, self) => {
      if (self || tags['message-type'] === 'whisper') return;
      const viewer = viewerOf(tags);
      if (viewer) void this.answer(channel, viewer, message);
    });
    this.client.on('join', (_channel, username, self) => {
      if (self || username === options.username) this.set('connected');
    });
    this.client.on('reconnect', () => this.set('reconnecting'));
    this.client.on('disconnected', (reason) => {
      if (AUTH_REFUSED.test(reason)) this.authFailed(reason);
      else if (this.current !== 'stopped' && this.current !== 'auth-failed') this.set('reconnecting');
    });
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** Connects (in the background; {@link waitFor} tells when it is in the channel). */
  start(): void {
    this.set('connecting');
    this.client.connect().catch((err: unknown) => {
      const reason = String(err);
      if (AUTH_REFUSED.test(reason)) this.authFailed(reason);
      else this.options.logger.warn({ reason }, 'twitch chat connection failed; retrying');
    });
  }

  /** Leaves the chat for good. */
  async stop(): Promise<void> {
    const was = this.current;
    this.set('stopped');
    if (was === 'auth-failed' || this.client.readyState() === 'CLOSED') return;
    await this.client.disconnect().catch(() => undefined);
  }

  /** Resolves once the state is `state` (tests and link commands wait on it). */
  waitFor(state: ConnectionState, timeoutMs = 15_000): Promise<void> {
    if (this.current === state) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`twitch chat did not reach ${state} (is ${this.current})`));
      }, timeoutMs);
      const check = () => {
        if (this.current !== state) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  private set(state: ConnectionState): void {
    this.current = state;
    for (const check of [...this.waiters]) check();
  }

  private authFailed(reason: string): void {
    if (this.current === 'auth-failed' || this.current === 'stopped') return;
    this.set('auth-failed');
    this.options.onAuthFailure(reason);
  }

  private async answer(channel: string, viewer: ChatViewer, text: string): Promise<void> {
    try {
      const reply = await this.options.onMessage(viewer, text);
      if (reply) await this.client.say(channel, reply);
    } catch (err) {
      this.options.logger.warn({ err: String(err), channel }, 'could not answer in twitch chat');
    }
  }
}
