import { readFileSync } from 'node:fs';
import { createActions, type PlaybackControl } from './actions/index.ts';
import { resumeAfterRestart } from './actions/resume.ts';
import { createFeatures } from './app/features.ts';
import { createFleet, routeActions, serveFleet } from './app/fleet.ts';
import { createHttp } from './app/http.ts';
import { observability } from './app/observability.ts';
import { createOverlay } from './app/overlay.ts';
import { createRadioAndMode } from './app/radio.ts';
import { createSpotifyParts } from './app/spotify.ts';
import { openStores } from './app/storage.ts';
import { createTwitch } from './app/twitch.ts';
import type { App, Closers, MediaSources } from './app/types.ts';
import type { Config } from './config/index.ts';
import { type Clock, systemClock } from './core/clock.ts';
import { InMemoryEventBus } from './core/events.ts';
import type { Logger } from './core/logger.ts';
import type { DiscordBot } from './discord/bot.ts';
import type { ModeEvent } from './mode/controller.ts';
import { overlayUrl } from './overlay/keys.ts';
import { MusicPlayer, type PlayerEvent, SNAPSHOT_INTERVAL_MS } from './playback/player.ts';
import type { QueueEvent } from './queue/events.ts';
import { guildQueueLimits } from './queue/limits.ts';
import { QueueService } from './queue/service.ts';
import type { RadioEvent } from './radio/events.ts';
import { spotifyOffRoutes } from './spotify/routes.ts';
import { PgGuildSettingsRepository } from './storage/db/guild-settings-repository.ts';
import { PgRadioStateRepository } from './storage/db/radio-state-repository.ts';

export type { App, MediaSources } from './app/types.ts';

export interface StartHooks {
  /** Runs right before the side-server listens (`npm start` releases the port it held meanwhile). */
  beforeListen?: () => Promise<void>;
}

/** The package version, for /api/v1/status and the OpenAPI document. */
const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

/**
 * The composition root: the only place where services are constructed and wired together (with its
 * parts in src/app/). `src/main.ts` calls it with the parsed config; tests call it with their own.
 */
export async function startApp(
  config: Config,
  logger: Logger,
  media: MediaSources,
  clock: Clock = systemClock,
  hooks: StartHooks = {},
): Promise<App> {
  const closers: Closers = [];
  const close = async () => {
    for (const fn of closers.reverse()) {
      await Promise.resolve()
        .then(fn)
        .catch((err) => logger.warn({ err }, 'shutdown step failed'));
    }
  };
  try {
    return await build(config, logger, media, clock, closers, close, hooks);
  } catch (err) {
    await close();
    throw err;
  }
}

async function build(
  config: Config,
  logger: Logger,
  media: MediaSources,
  clock: Clock,
  closers: Closers,
  close: () => Promise<void>,
  hooks: StartHooks,
): Promise<App> {
  const { store, queueHealth, redis, database } = await openStores(config, logger, clock, closers);
  const settings = new PgGuildSettingsRepository(database.db);
  const radioState = new PgRadioStateRepository(database.db);
  const features = createFeatures({ config, clock, db: database.db, redis, version: VERSION });

  const onHandlerError = (err: unknown) => logger.error({ err }, 'event handler failed');
  const queueBus = new InMemoryEventBus<QueueEvent>(onHandlerError);
  const playerBus = new InMemoryEventBus<PlayerEvent>(onHandlerError);
  const modeBus = new InMemoryEventBus<ModeEvent>(onHandlerError);
  const radioBus = new InMemoryEventBus<RadioEvent>(onHandlerError);
  const queue = new QueueService({
    store,
    bus: queueBus,
    clock,
    limits: guildQueueLimits(settings, config.queue),
  });

  // The shards this process runs (a bot), and the fleet that sends other guilds' voice actions to the
  // process running their shard.
  const { ownership, fleet } = await createFleet({ config, logger, redis, closers });
  // Discord and the voice player exist only with a token (otherwise: API-only mode).
  // discord.js and the voice libraries are loaded only for a bot (API-only mode stays smaller).
  const discordParts = config.discord.token ? await import('./app/discord.ts') : null;
  const connection = discordParts
    ? ownership
      ? discordParts.connectDiscord(config, logger, ownership, redis)
      : null
    : null;
  const player = connection
    ? new MusicPlayer({
        queue,
        voice: connection.voice,
        streams: media.streams,
        clock,
        logger: logger.child({ component: 'player' }),
        bus: playerBus,
        idleTimeoutMs: config.playback.idleTimeoutMs,
        stayInVoice: async (guildId) => (await settings.get(guildId)).stayInVoice,
        defaultVolume: async (guildId) => (await settings.get(guildId)).defaultVolume,
      })
    : null;
  // Assigned once the bot exists. In API-only mode every guild is ours; a bot serves the guilds it is in
  // on its own shards, and passes the guilds of other shards on to their processes.
  let discord: DiscordBot | null = null;
  const hasCommunity = (guildId: string) =>
    connection && ownership?.owns(guildId) ? (discord?.hasGuild(guildId) ?? false) : true;

  // Radio and the music/radio mode, switched under a lock.
  const { radio, mode } = createRadioAndMode({
    config,
    logger,
    clock,
    db: database.db,
    redis,
    radioState,
    player,
    buses: { modeBus, radioBus },
    notice: (channelId, text) => discord?.notice(channelId, text),
    closers,
  });

  // Spotify (when configured): linked accounts, Web API, links in /play, device mode.
  const { spotify, spotifyPlayback } = createSpotifyParts({
    config,
    logger,
    clock,
    database,
    settings,
    queue,
    player,
    playerBus,
    media,
    noticeAdmins: (guildId, text) => discord?.noticeAdmins(guildId, text),
    hasCommunity,
    closers,
  });

  // Overlay: keys in guild settings, live events to the browser source (through Redis across instances).
  const { overlayKeys, transport, hub } = createOverlay({
    config,
    logger,
    clock,
    settings,
    redis,
    queue,
    mode,
    player,
    radio,
    buses: { queueBus, playerBus, modeBus, radioBus },
  });

  // Twitch chat requests (when configured): the chat calls the same actions as Discord and the API.
  const twitch = createTwitch({
    config,
    logger,
    clock,
    db: database.db,
    actions: () => actions,
    noticeAdmins: (guildId, text) => discord?.noticeAdmins(guildId, text),
    runsChat: ownership ? ownership.shardIds.includes(0) : fleet === null,
    closers,
  });

  // The application layer: one action per user intent, for Discord, the REST API and Twitch chat alike.
  const playback: PlaybackControl | null = spotifyPlayback?.playback ?? player;
  const localActions = createActions({
    queue,
    tracks: media,
    playback,
    voice: player !== null,
    settings,
    ratings: features.ratings,
    blocklist: features.blocklist,
    cooldowns: features.cooldowns,
    mode,
    radio,
    overlay: {
      issue: async (guildId) => {
        const key = await overlayKeys.issue(guildId);
        return { key, url: overlayUrl(config.http.publicUrl, guildId, key) };
      },
      hasKey: async (guildId) => (await overlayKeys.currentHash(guildId)) !== null,
    },
    spotify: spotifyPlayback?.commands ?? null,
    lyrics: features.lyrics,
    playlists: features.playlists,
    twitch,
  });
  const actions = fleet ? routeActions(localActions, fleet) : localActions;

  // Side-server.
  const { metrics, checks } = observability({
    queue,
    queueBus,
    queueHealth,
    database,
    discord: connection
      ? { isReady: () => discord?.isReady() ?? false, pingMs: () => discord?.pingMs() ?? null }
      : null,
    media,
    guildLabels: config.http.metricsGuildLabels,
    closers,
  });
  const http = createHttp({
    config,
    logger,
    clock,
    actions,
    hasCommunity,
    metrics,
    checks,
    hub,
    overlayKeys,
    providers: media.providers,
    spotifyRoutes: spotify ? spotify.routes : spotifyOffRoutes(hasCommunity),
    version: VERSION,
    status: async () => ({
      running_as: discord ? 'bot' : 'api-only',
      discord: discord ? { ready: discord.isReady(), guilds: discord.guildCount() } : null,
      queue_store: queueHealth(),
      database: database.kind,
      providers: media.providers.list().map((p) => p.name),
    }),
  });
  await hooks.beforeListen?.();
  const address = await http.listen();
  // Closers run in reverse: the hub closes its sockets first, then the HTTP server, then the transport.
  closers.push(() => transport.close());
  closers.push(() => http.close());
  closers.push(() => hub.close());
  logger.info(
    { url: `http://${address.host}:${address.port}`, public_url: config.http.publicUrl },
    'side-server listening',
  );

  // The side-server answers from here on (/healthz 503 while PostgreSQL is not up yet); the bot and
  // the resume of playback need the database, so they wait for it.
  await database.ready;
  if (discordParts && connection && player) {
    const bot = discordParts.createDiscordBot({
      connection,
      config,
      logger,
      actions,
      queue,
      queueBus,
      playerBus,
      panels: features.panels,
      djRoleOf: async (guildId) => (await settings.get(guildId)).djRoleId,
      registersCommands: ownership?.shardIds.includes(0) ?? true,
    });
    discord = bot;
    closers.push(() => bot.stop());
    closers.push(() => player.shutdown());
    // Registered before the gateway connects, so that an API process started beside it already knows
    // the guilds' voice lives in the bots.
    if (fleet) await serveFleet(fleet, localActions);
    await bot.start();
    const timer = setInterval(() => player.saveAll(), SNAPSHOT_INTERVAL_MS);
    timer.unref();
    closers.push(() => clearInterval(timer));
  }
  // After the bot, so that a token refused at start can be told in Discord.
  await twitch?.start();
  // Voice state resumes where the guild's shard runs: in a bot, its own guilds; in an API-only process,
  // nothing once bots run the guilds (a fleet), else every guild (Spotify device mode without Discord).
  const leavesVoiceToBots = !connection && fleet !== null && (await fleet.hasBots());
  await resumeAfterRestart({
    serves: (guildId) => !leavesVoiceToBots && hasCommunity(guildId),
    queue,
    player,
    device: spotifyPlayback?.playback ?? null,
    radio: { inRadioMode: () => radioState.listByMode('radio'), start: (g, s, o) => radio.start(g, s, o) },
    withVoice: discord !== null,
    logger,
  });

  return { queue, player, mode, discord, twitch, http: address, queueHealth: () => queueHealth(), close };
}
