import {
  type Client,
  Client as DiscordClient,
  Events,
  GatewayIntentBits,
  Partials,
  PermissionFlagsBits,
  PermissionsBitField,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from '../core/logger.ts';
import { type SharedIdentifyWindows, sharedIdentifyThrottling } from './identify-throttle.ts';
import { channelNotice, guildNotice } from './notice.ts';
import type { ReactionVotes } from './reactions.ts';
import { registerIfChanged } from './registration.ts';
import type { InteractionRouter } from './router.ts';

/**
 * View Channels, Send Messages, Embed Links, Add Reactions, Read Message History, Connect, Speak:
 * everything the bot uses, nothing more.
 */
export const BOT_PERMISSIONS = new PermissionsBitField([
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.AddReactions,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.Connect,
  PermissionFlagsBits.Speak,
]).bitfield;

export function inviteUrl(applicationId: string): string {
  return `https://discord.com/oauth2/authorize?client_id=${applicationId}&scope=bot%20applications.commands&permissions=${BOT_PERMISSIONS}`;
}

export interface DiscordOptions {
  token: string;
  apiUrl: string;
  guildId: string | undefined;
  registerCommands: 'auto' | 'off';
  ffmpegPath: string;
}

/**
 * The discord.js client with only the intents a music bot needs (no privileged ones) and the partials
 * that let reactions on old, uncached messages count.
 */
export function createClient(
  apiUrl: string,
  shards?: { shardCount: number; shardIds: readonly number[] },
  identifyWindows?: { windows: SharedIdentifyWindows; log: Logger },
): Client {
  return new DiscordClient({
    // With other processes of the fleet beside it, IDENTIFYs are paced across them (shared windows).
    ...(identifyWindows
      ? { ws: sharedIdentifyThrottling(identifyWindows.windows, identifyWindows.log) }
      : {}),
    // discord.js runs these shards in this process (internal sharding) and paces their IDENTIFYs by
    // session_start_limit.max_concurrency.
    ...(shards ? { shards: [...shards.shardIds], shardCount: shards.shardCount } : {}),
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildVoiceStates,
      GatewayIntentBits.GuildMessageReactions,
    ],
    partials: [Partials.Message, Partials.Channel, Partials.Reaction, Partials.User],
    rest: { api: apiUrl },
  });
}

/** What the rest of the app may ask of the Discord connection; the discord.js client stays in here. */
export interface DiscordBot {
  /** Whether the gateway session is ready. */
  isReady(): boolean;
  /** Whether the bot is in this guild. */
  hasGuild(guildId: string): boolean;
  /** How many guilds the bot is in. */
  guildCount(): number;
  /** The gateway's heartbeat round trip, when ready. */
  pingMs(): number | null;
  /** Posts a short line in a text channel; failures are logged, never thrown. */
  notice(channelId: string, text: string): void;
  /** Posts a line where a guild's admins see it (system channel, else the first writable one). */
  noticeAdmins(guildId: string, text: string): void;
  /** The link that invites the bot with the permissions it uses; null before it is ready. */
  inviteUrl(): string | null;
  /** Logs in, answers interactions and reactions, and resolves when the gateway is ready. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The parts the bot connects (built by the composition root, src/app/discord.ts). */
export interface DiscordBotParts {
  client: Client;
  router: InteractionRouter;
  reactions: ReactionVotes;
  commands: RESTPostAPIChatInputApplicationCommandsJSONBody[];
  options: Pick<DiscordOptions, 'token' | 'guildId' | 'registerCommands'>;
  logger: Logger;
}

/** The Discord connection: events to the router and the reaction votes, login, command registration. */
export function discordBot(parts: DiscordBotParts): DiscordBot {
  const { client, router, reactions, options, logger: log } = parts;
  client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
  client.on(Events.ShardDisconnect, (event) => log.warn({ code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardResume, () => log.info('gateway resumed'));
  const notice = channelNotice(client, log);
  const noticeAdmins = guildNotice(client, log);
  return {
    isReady: () => client.isReady(),
    hasGuild: (guildId) => client.guilds.cache.has(guildId),
    guildCount: () => client.guilds.cache.size,
    pingMs: () => (client.isReady() ? client.ws.ping : null),
    notice,
    noticeAdmins,
    inviteUrl: () => (client.application ? inviteUrl(client.application.id) : null),
    async start() {
      client.on(Events.InteractionCreate, (interaction) => void router.handle(interaction));
      client.on(Events.MessageReactionAdd, (reaction, user) => void reactions.added(reaction, user));
      client.on(Events.MessageReactionRemove, (reaction, user) => void reactions.removed(reaction, user));
      const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
      await client.login(options.token);
      const readyClient = await ready;
      log.info(
        {
          user: readyClient.user.tag,
          guilds: readyClient.guilds.cache.size,
          invite_url: inviteUrl(readyClient.application.id),
        },
        'connected to Discord',
      );
      if (options.registerCommands === 'auto') {
        await registerIfChanged(readyClient, parts.commands, options.guildId, log).catch((err) =>
          log.error({ err }, 'registering slash commands failed; run npm run deploy-commands'),
        );
      }
    },
    async stop() {
      await client.destroy();
    },
  };
}
