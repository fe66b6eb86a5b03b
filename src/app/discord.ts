import { commands } from '../../commands/index.ts';
import type { Actions } from '../actions/index.ts';
import type { Config } from '../config/index.ts';
import type { EventBus } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import { createClient, type DiscordBot, discordBot } from '../discord/bot.ts';
import { ComponentHandler } from '../discord/components.ts';
import { guardDaveSession } from '../discord/dave-guard.ts';
import { EditPacer } from '../discord/edit-pacer.ts';
import { PanelMessages } from '../discord/panel.ts';
import { QueueMessages } from '../discord/queue-messages.ts';
import { ReactionVotes } from '../discord/reactions.ts';
import { InteractionRouter } from '../discord/router.ts';
import { DiscordVoice } from '../discord/voice.ts';
import { RedisIdentifyWindows } from '../fleet/identify-windows.ts';
import type { ShardOwnership } from '../fleet/shards.ts';
import type { PlayerEvent } from '../playback/player.ts';
import type { QueueEvent } from '../queue/events.ts';
import type { QueueService } from '../queue/service.ts';
import type { PanelLocations } from '../storage/panel/locations.ts';
import type { RedisConnection } from '../storage/queue/redis-client.ts';

/** The Discord side before the services: the client and the voice adapter the player plays through. */
export interface DiscordConnection {
  client: ReturnType<typeof createClient>;
  voice: DiscordVoice;
}

/**
 * Part of the composition root: the discord.js client (only `src/discord` touches it) and the voice
 * adapter, with the DAVE guard installed. Called only when DISCORD_TOKEN is set.
 */
export function connectDiscord(
  config: Config,
  logger: Logger,
  shards: ShardOwnership,
  redis: RedisConnection | null,
): DiscordConnection {
  const log = logger.child({ component: 'discord' });
  // With Redis, other processes of the bot may run other shards: IDENTIFYs are paced across them.
  const client = createClient(
    config.discord.apiUrl,
    shards,
    redis ? { windows: new RedisIdentifyWindows(redis, config.redis.namespace), log } : undefined,
  );
  guardDaveSession((what, err, where) =>
    log.warn(
      { what, err: String(err), guildId: where.guildId, channelId: where.channelId },
      'dropped a DAVE message that failed',
    ),
  );
  return { client, voice: new DiscordVoice(client, log, config.playback.ffmpegPath) };
}

/**
 * Part of the composition root: the bot's front end on top of the actions: the interaction router
 * (slash commands, buttons, menus), reaction votes and the queue messages kept current.
 */
export function createDiscordBot(deps: {
  connection: DiscordConnection;
  config: Config;
  logger: Logger;
  actions: Actions;
  queue: QueueService;
  queueBus: EventBus<QueueEvent>;
  playerBus: EventBus<PlayerEvent>;
  /** Where each guild's control panel message is. */
  panels: PanelLocations;
  djRoleOf(guildId: string): Promise<string | null>;
  /** Whether this process registers the slash commands (only the one running shard 0 does). */
  registersCommands: boolean;
}): DiscordBot {
  const { connection, config, actions } = deps;
  const log = deps.logger.child({ component: 'discord' });
  const messagesLog = deps.logger.child({ component: 'queue-messages' });
  const pacer = new EditPacer(connection.client.rest, messagesLog);
  const messages = new QueueMessages(connection.client, deps.queue, deps.queueBus, pacer, messagesLog);
  const panels = new PanelMessages({
    client: connection.client,
    actions,
    locations: deps.panels,
    pacer,
    queueBus: deps.queueBus,
    playerBus: deps.playerBus,
    refreshMs: config.playback.panelRefreshMs,
    logger: deps.logger.child({ component: 'panel' }),
  });
  const router = new InteractionRouter(
    commands,
    { actions, messages, panels, pacer, djRoleOf: deps.djRoleOf },
    new ComponentHandler(panels),
    log,
  );
  const bot = discordBot({
    client: connection.client,
    router,
    reactions: new ReactionVotes(actions, messages, log),
    commands: commands.map((c) => c.data),
    options: {
      token: config.discord.token!,
      guildId: config.discord.guildId,
      registerCommands: deps.registersCommands ? config.discord.registerCommands : 'off',
    },
    logger: log,
  });
  return {
    ...bot,
    async stop() {
      panels.stop();
      await bot.stop();
    },
  };
}
