import { readFileSync } from 'node:fs';
import { commands } from '../commands/index.ts';
import { observability } from './app/observability.ts';
import { createOverlay } from './app/overlay.ts';
import { createSpotifyParts } from './app/spotify.ts';
import { openStores } from './app/storage.ts';
import type { Config } from './config/index.ts';
import { type Clock, systemClock } from './core/clock.ts';
import { UserError } from './core/errors.ts';
import { InMemoryEventBus } from './core/events.ts';
import type { Logger } from './core/logger.ts';
import { createDiscordBot, type DiscordBot } from './discord/bot.ts';
import type { TrackResolver } from './discord/command.ts';
import { channelNotice } from './discord/notice.ts';
import { QueueMessages } from './discord/queue-messages.ts';
import { healthRoutes } from './http/routes/health.ts';
import { modeRoutes } from './http/routes/mode.ts';
import { playbackRoutes } from './http/routes/playback.ts';
import { type ProviderCatalog, providerRoutes } from './http/routes/providers.ts';
import { queueRoutes } from './http/routes/queue.ts';
import { radioRoutes } from './http/routes/radio.ts';
import { settingsRoutes } from './http/routes/settings.ts';
import { statusRoutes } from './http/routes/status.ts';
import { HttpServer } from './http/server.ts';
import { ModeController, type ModeEvent, type MusicControl } from './mode/controller.ts';
import { type GuildLock, LocalLock, RedisLock } from './mode/lock.ts';
import { overlayUpgradeHandler } from './overlay/gateway.ts';
import type { RadioEvent } from './overlay/hub.ts';
import { overlayUrl } from './overlay/keys.ts';
import { overlayRoutes } from './overlay/routes.ts';
import { MusicPlayer, type PlayerEvent, SNAPSHOT_INTERVAL_MS } from './playback/player.ts';
import type { StreamSource } from './playback/ports.ts';
import type { QueueEvent } from './queue/events.ts';
import { QueueService } from './queue/service.ts';
import { StationPollers } from './radio/pollers.ts';
import { RadioService } from './radio/service.ts';
import { type SpotifyConnection, spotifyOffRoutes } from './spotify/index.ts';
import { PgGuildSettingsRepository } from './storage/db/guild-settings-repository.ts';
import { PgRadioStateRepository } from './storage/db/radio-state-repository.ts';
import { PgStationRepository } from './storage/db/station-repository.ts';
import type { QueueStoreHealth } from './storage/queue/resilient-store.ts';

/** The package version, for /api/v1/status and the OpenAPI document. */
const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

/** Where tracks come from: the provider registry (src/providers), handed in by src/main.ts. */
export interface MediaSources extends TrackResolver {
  streams: StreamSource;
  /** The providers by name: listing, health and search for the REST API. */
  providers: ProviderCatalog;
  /** Each provider's health, for /healthz and /metrics. */
  health(): Record<string, { ok: boolean; detail?: unknown }>;
  /** Hands the Spotify service (the guilds' catalog and mode) to the Spotify provider, if there is one. */
  connectSpotify?(connection: SpotifyConnection): void;
}

export interface App {
  queue: QueueService;
  player: MusicPlayer | null;
  mode: ModeController;
  discord: DiscordBot | null;
  http: { host: string; port: number };
  queueHealth: () => QueueStoreHealth;
  /** Stops everything the app started, in reverse order. */
  close(): Promise<void>;
}

/**
 * The composition root: the only place where services are constructed and wired together.
 * `src/main.ts` calls it with the parsed config; tests call it with their own.
 */
export async function startApp(
  config: Config,
  logger: Logger,
  media: MediaSources,
  clock: Clock = systemClock,
): Promise<App> {
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const fn of closers.reverse()) {
      await Promise.resolve()
        .then(fn)
        .catch((err) => logger.warn({ err }, 'shutdown step failed'));
    }
  };
  try {
    return await build(config, logger, media, clock, closers, close);
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
  closers: (() => Promise<void> | void)[],
  close: () => Promise<void>,
): Promise<App> {
  const { store, queueHealth, redis, database } = await openStores(config, logger, clock, closers);
  const settings = new PgGuildSettingsRepository(database.db);
  const radioState = new PgRadioStateRepository(database.db);

  const onHandlerError = (err: unknown) => logger.error({ err }, 'event handler failed');
  const queueBus = new InMemoryEventBus<QueueEvent>(onHandlerError);
  const playerBus = new InMemoryEventBus<PlayerEvent>(onHandlerError);
  const modeBus = new InMemoryEventBus<ModeEvent>(onHandlerError);
  const queue = new QueueService({
    store,
    bus: queueBus,
    clock,
    limits: async (guildId) => {
      const s = await settings.get(guildId);
      return {
        maxLength: Math.min(s.maxQueueLength ?? config.queue.maxLength, config.queue.maxLength),
        maxPerUser: Math.min(s.maxPerUser ?? config.queue.maxPerUser, config.queue.maxPerUser),
      };
    },
  });

  // Discord and the player exist only with a token (otherwise: API-only mode).
  let discord: DiscordBot | null = null;
  let player: MusicPlayer | null = null;
  if (config.discord.token) {
    discord = createDiscordBot(
      {
        token: config.discord.token,
        apiUrl: config.discord.apiUrl,
        guildId: config.discord.guildId,
        registerCommands: config.discord.registerCommands,
        ffmpegPath: config.playback.ffmpegPath,
      },
      commands,
      store,
      logger,
    );
    player = new MusicPlayer({
      queue,
      voice: discord.voice,
      streams: media.streams,
      clock,
      logger: logger.child({ component: 'player' }),
      bus: playerBus,
      idleTimeoutMs: config.playback.idleTimeoutMs,
      stayInVoice: async (guildId) => (await settings.get(guildId)).stayInVoice,
      defaultVolume: async (guildId) => (await settings.get(guildId)).defaultVolume,
    });
  }
  const hasCommunity = (guildId: string) => (discord ? discord.client.guilds.cache.has(guildId) : true);

  const lock: GuildLock = redis ? new RedisLock(redis, `${config.redis.namespace}:lock`) : new LocalLock();
  const music: MusicControl = player
    ? {
        isPlaying: (g) => player.state(g).kind === 'playing',
        pause: (g) => player.pause(g),
        resume: (g) => player.resume(g),
      }
    : { isPlaying: () => false, pause: async () => {}, resume: async () => {} };
  // Radio: stations in PostgreSQL, the stream into voice (through the player's session) or followed
  // for its metadata alone, pollers shared per station.
  const radioBus = new InMemoryEventBus<RadioEvent>(onHandlerError);
  const radio = new RadioService({
    stations: new PgStationRepository(database.db),
    voice: player,
    allowlist: config.media.allowlist,
    pollers: new StationPollers({
      allowlist: config.media.allowlist,
      intervalMs: config.radio.pollIntervalMs,
      clock,
      logger: logger.child({ component: 'radio-api' }),
    }),
    bus: radioBus,
    clock,
    logger: logger.child({ component: 'radio' }),
    ...(discord ? { notice: channelNotice(discord.client, logger.child({ component: 'radio' })) } : {}),
  });
  closers.push(() => radio.close());
  const mode = new ModeController({
    store: { load: (g) => radioState.get(g), save: (s) => radioState.save(s) },
    lock,
    music,
    radio,
    bus: modeBus,
    clock,
    logger: logger.child({ component: 'mode' }),
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
    discord,
    hasCommunity,
    closers,
  });
  const spotifyRoutesFor = (parts: typeof spotify) => (parts ? parts.routes : spotifyOffRoutes(hasCommunity));

  // Side-server.
  const { metrics, checks } = observability({ queue, queueBus, queueHealth, database, discord, media });
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
  const http = new HttpServer({
    host: config.http.host,
    port: config.http.port,
    apiToken: config.http.apiToken,
    rateLimitPerMinute: config.http.rateLimitPerMinute,
    logger: logger.child({ component: 'http' }),
    observe: (route, method, status, seconds) => metrics.observe(route, method, status, seconds),
    onUpgrade: overlayUpgradeHandler({
      hub,
      keys: overlayKeys,
      hasCommunity,
      logger: logger.child({ component: 'overlay' }),
    }),
  });
  http.add(
    ...healthRoutes(checks, metrics),
    ...queueRoutes({
      queue,
      hasCommunity,
      resolve: (url, provider, scope) => media.resolve(url, { ...scope, ...(provider ? { provider } : {}) }),
      skip: async (guildId) => {
        const control = spotifyPlayback?.playback ?? player;
        if (control && control.status(guildId).state !== 'idle') return control.skip(guildId);
        const skipped = await queue.skipCurrent(guildId);
        if (!skipped) throw new UserError('NOTHING_PLAYING', 'Nothing is playing right now.');
        return skipped;
      },
    }),
    ...playbackRoutes({ queue, player: spotifyPlayback?.playback ?? player, hasCommunity }),
    ...settingsRoutes({ settings, hasCommunity }),
    ...modeRoutes({ mode, hasCommunity }),
    ...overlayRoutes({ keys: overlayKeys, hub, publicUrl: config.http.publicUrl, hasCommunity, clock }),
    ...providerRoutes(media.providers),
    ...radioRoutes({ radio, mode, hasCommunity, channelOf: (g) => player?.channelOf(g) ?? null }),
    ...spotifyRoutesFor(spotify),
    ...statusRoutes({
      version: VERSION,
      startedAt: clock.now(),
      now: () => clock.now(),
      routes: () => http.routes(),
      status: async () => ({
        running_as: discord ? 'bot' : 'api-only',
        discord: discord
          ? { ready: discord.client.isReady(), guilds: discord.client.guilds.cache.size }
          : null,
        queue_store: queueHealth(),
        database: database.kind,
        providers: media.providers.list().map((p) => p.name),
      }),
    }),
  );
  const address = await http.listen();
  // Closers run in reverse: the hub closes its sockets first, then the HTTP server, then the transport.
  closers.push(() => transport.close());
  closers.push(() => http.close());
  closers.push(() => hub.close());
  logger.info(
    { url: `http://${address.host}:${address.port}`, public_url: config.http.publicUrl },
    'side-server listening',
  );

  if (discord && player) {
    const bot = discord;
    const musicPlayer = player;
    const messages = new QueueMessages(
      bot.client,
      queue,
      queueBus,
      logger.child({ component: 'queue-messages' }),
    );
    closers.push(() => bot.stop());
    closers.push(() => musicPlayer.shutdown());
    await bot.start({
      queue,
      settings,
      playback: spotifyPlayback?.playback ?? musicPlayer,
      tracks: media,
      messages,
      mode,
      radio,
      overlay: {
        issue: async (guildId) => ({
          url: overlayUrl(config.http.publicUrl, guildId, await overlayKeys.issue(guildId)),
        }),
        hasKey: async (guildId) => (await overlayKeys.currentHash(guildId)) !== null,
      },
      spotify: spotifyPlayback?.commands ?? null,
    });
    const timer = setInterval(() => musicPlayer.saveAll(), SNAPSHOT_INTERVAL_MS);
    timer.unref();
    closers.push(() => clearInterval(timer));
    for (const snapshot of await queue.playbackSnapshots()) {
      if (!bot.client.guilds.cache.has(snapshot.guildId)) continue;
      musicPlayer
        .restore(snapshot)
        .catch((err) => logger.warn({ err, guildId: snapshot.guildId }, 'could not resume playback'));
    }
  }

  // Guilds whose queue played on their Spotify device are followed again (device mode needs no voice).
  void spotifyPlayback?.playback.resumeDevices(hasCommunity);

  // Guilds that were in radio mode play their station again (in their voice channel when the bot is
  // in the guild; followed for its metadata alone in API-only mode).
  for (const state of await radioState.listByMode('radio')) {
    if (!state.stationName || (discord && !discord.client.guilds.cache.has(state.guildId))) continue;
    radio
      .start(state.guildId, state.stationName, { channelId: discord ? (state.voiceChannelId ?? null) : null })
      .then(() =>
        logger.info({ guildId: state.guildId, station: state.stationName }, 'radio resumed after a restart'),
      )
      .catch((err) =>
        logger.warn({ err: err?.message, guildId: state.guildId }, 'could not resume the radio'),
      );
  }

  return { queue, player, mode, discord, http: address, queueHealth: () => queueHealth(), close };
}
