import {
  Client,
  Events,
  GatewayIntentBits,
  Partials,
  PermissionFlagsBits,
  PermissionsBitField,
} from 'discord.js';
import type { Logger } from '../core/logger.ts';
import type { QueueStore } from '../storage/queue/store.ts';
import type { Command, Services } from './command.ts';
import { ComponentHandler } from './components.ts';
import { guardDaveSession } from './dave-guard.ts';
import { ReactionVotes } from './reactions.ts';
import { registerIfChanged } from './registration.ts';
import { InteractionRouter } from './router.ts';
import { DiscordVoice } from './voice.ts';

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
export function createClient(apiUrl: string): Client {
  return new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildVoiceStates,
      GatewayIntentBits.GuildMessageReactions,
    ],
    partials: [Partials.Message, Partials.Channel, Partials.Reaction, Partials.User],
    rest: { api: apiUrl },
  });
}

export interface DiscordBot {
  client: Client;
  voice: DiscordVoice;
  /** Logs in and resolves when the gateway is ready. */
  start(services: Services): Promise<void>;
  stop(): Promise<void>;
}

export function createDiscordBot(
  options: DiscordOptions,
  commands: Command[],
  store: Pick<QueueStore, 'itemForMessage'>,
  logger: Logger,
): DiscordBot {
  const client = createClient(options.apiUrl);
  const log = logger.child({ component: 'discord' });
  const voice = new DiscordVoice(client, log, options.ffmpegPath);
  guardDaveSession((what, err, where) =>
    log.warn(
      { what, err: String(err), guildId: where.guildId, channelId: where.channelId },
      'dropped a DAVE message that failed',
    ),
  );
  client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
  client.on(Events.ShardDisconnect, (event) => log.warn({ code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardResume, () => log.info('gateway resumed'));

  return {
    client,
    voice,
    async start(services) {
      const router = new InteractionRouter(commands, services, new ComponentHandler(), log);
      const reactions = new ReactionVotes(services.queue, store, services.messages, log);
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
        await registerIfChanged(
          readyClient,
          commands.map((c) => c.data),
          options.guildId,
          log,
        ).catch((err) =>
          log.error({ err }, 'registering slash commands failed; run npm run deploy-commands'),
        );
      }
    },
    async stop() {
      await client.destroy();
    },
  };
}
