import type { TwitchPort, TwitchStatus } from '../actions/ports.ts';
import type { Clock } from '../core/clock.ts';
import { UserError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import {
  type ChatCommandWords,
  chatCommandsSchema,
  type TwitchLink,
  type TwitchLinkRepository,
  twitchChannelSchema,
} from '../storage/db/twitch-links.ts';
import { parseInput } from '../storage/db/validate.ts';
import type { ChatCommands } from './chat-commands.ts';
import { ChatConnection } from './connection.ts';

export type { TwitchStatus };

export interface TwitchChatDeps {
  settings: { username: string; token: string; chatUrl: string };
  links: TwitchLinkRepository;
  commands: ChatCommands;
  /** Tells a guild's admins something in Discord (a revoked token); never throws. */
  noticeAdmins(guildId: string, text: string): void;
  logger: Logger;
  clock: Clock;
  /** Whether this process reads chat (one process of a fleet does); others only edit the links. */
  runsChat: boolean;
  reconnectIntervalMs?: number;
  /** How often the links are read again, so that a link made through another process starts here. */
  refreshMs?: number;
}

/**
 * Twitch chat requests: each guild's linked channel gets one chat connection (the bot account), whose
 * viewers' commands go through {@link ChatCommands} into the guild's queue. A refused token pauses
 * the link (kept, with the reason), tells the guild's admins and leaves the queue as it is.
 */
export class TwitchChat implements TwitchPort {
  private readonly deps: TwitchChatDeps;
  private readonly connections = new Map<string, { link: TwitchLink; connection: ChatConnection }>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(deps: TwitchChatDeps) {
    this.deps = deps;
  }

  /** Connects every linked channel that is not paused, and reads the links again now and then. */
  async start(): Promise<void> {
    if (!this.deps.runsChat) return;
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((err) => this.deps.logger.warn({ err }, 'could not read the twitch links'));
    }, this.deps.refreshMs ?? 30_000);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.connections.values()].map(({ connection }) => connection.stop()));
    this.connections.clear();
  }

  /**
   * Links (or re-links, which also resumes a paused link) a channel to the guild.
   * @throws UserError INVALID_INPUT (channel or command words), CONFLICT (another guild has it)
   */
  async link(
    guildId: string,
    channel: string,
    commands: Partial<ChatCommandWords> = {},
  ): Promise<TwitchStatus> {
    const name = parseInput(twitchChannelSchema, channel, 'Twitch channel');
    const current = await this.deps.links.get(guildId);
    const words = parseInput(chatCommandsSchema, { ...current?.commands, ...commands }, 'chat commands');
    const link = await this.deps.links.save({ guildId, channel: name, commands: words });
    this.deps.logger.info({ guildId, channel: name }, 'twitch channel linked');
    await this.connect(link);
    return this.status(guildId);
  }

  /** @throws UserError NOT_FOUND when the guild has no link */
  async unlink(guildId: string): Promise<TwitchStatus> {
    if (!(await this.deps.links.delete(guildId))) {
      throw new UserError('NOT_FOUND', 'No Twitch channel is linked to this server.');
    }
    await this.disconnect(guildId);
    this.deps.logger.info({ guildId }, 'twitch channel unlinked');
    return this.status(guildId);
  }

  async status(guildId: string): Promise<TwitchStatus> {
    const link = await this.deps.links.get(guildId);
    const botAccount = this.deps.settings.username;
    if (!link) {
      return {
        linked: false,
        channel: null,
        commands: null,
        state: 'not-linked',
        pausedReason: null,
        botAccount,
      };
    }
    const live = this.connections.get(guildId);
    const state = link.paused
      ? 'paused'
      : !this.deps.runsChat
        ? 'off'
        : (live?.connection.state ?? 'stopped');
    return {
      linked: true,
      channel: link.channel,
      commands: link.commands,
      state,
      pausedReason: link.paused?.reason ?? null,
      botAccount,
    };
  }

  /** The guild's chat connection, when this process runs one (tests wait on its state). */
  connectionOf(guildId: string): ChatConnection | null {
    return this.connections.get(guildId)?.connection ?? null;
  }

  /** Brings the connections in line with the stored links. */
  async refresh(): Promise<void> {
    const links = await this.deps.links.all();
    const wanted = new Map(links.filter((l) => !l.paused).map((l) => [l.guildId, l]));
    for (const guildId of this.connections.keys()) {
      if (!wanted.has(guildId)) await this.disconnect(guildId);
    }
    for (const link of wanted.values()) {
      const live = this.connections.get(link.guildId);
      if (!live || live.link.channel !== link.channel) await this.connect(link);
      else live.link = link;
    }
  }

  private async connect(link: TwitchLink): Promise<void> {
    await this.disconnect(link.guildId);
    if (!this.deps.runsChat || this.closed) return;
    const logger = this.deps.logger.child({ guildId: link.guildId, channel: link.channel });
    const entry = { link, connection: null as unknown as ChatConnection };
    entry.connection = new ChatConnection({
      url: this.deps.settings.chatUrl,
      username: this.deps.settings.username,
      token: this.deps.settings.token,
      channel: link.channel,
      logger,
      ...(this.deps.reconnectIntervalMs !== undefined && {
        reconnectIntervalMs: this.deps.reconnectIntervalMs,
      }),
      // The entry's link, so that changed command words apply without a reconnect.
      onMessage: (viewer, text) => this.deps.commands.handle(entry.link, viewer, text),
      onAuthFailure: (reason) => void this.paused(link, reason),
    });
    this.connections.set(link.guildId, entry);
    entry.connection.start();
  }

  private async disconnect(guildId: string): Promise<void> {
    const live = this.connections.get(guildId);
    if (!live) return;
    this.connections.delete(guildId);
    await live.connection.stop();
  }

  private async paused(link: TwitchLink, reason: string): Promise<void> {
    const { logger, links, clock } = this.deps;
    logger.error(
      { guildId: link.guildId, channel: link.channel, reason },
      'twitch refused the bot token; link paused (the queue is kept)',
    );
    try {
      await links.pause(link.guildId, reason, clock.now());
    } catch (err) {
      logger.warn({ err, guildId: link.guildId }, 'could not mark the twitch link paused');
    }
    this.deps.noticeAdmins(
      link.guildId,
      `Twitch chat requests from ${link.channel} are paused: Twitch refused the bot account's token ` +
        `(${this.deps.settings.username}: "${reason.slice(0, 100)}"). The queue is kept. ` +
        'Give the bot a new token (TWITCH_OAUTH_TOKEN) and run /twitch link again.',
    );
  }
}
