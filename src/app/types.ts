import type { TrackResolver } from '../actions/index.ts';
import type { ProviderCatalog } from '../http/routes/providers.ts';
import type { ModeController } from '../mode/controller.ts';
import type { MusicPlayer } from '../playback/player.ts';
import type { StreamSource } from '../playback/ports.ts';
import type { SpotifyConnection } from '../providers/spotify.ts';
import type { QueueService } from '../queue/service.ts';
import type { QueueStoreHealth } from '../storage/queue/resilient-store.ts';
import type { TwitchChat } from '../twitch/service.ts';

/** Where tracks come from: the provider registry (src/app/media.ts), or a test's own. */
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
  /** Whether the bot is connected to Discord (null in API-only mode). */
  discord: { isReady(): boolean } | null;
  /** Twitch chat requests; null when the bot has no Twitch account. */
  twitch: TwitchChat | null;
  http: { host: string; port: number };
  queueHealth: () => QueueStoreHealth;
  /** Stops everything the app started, in reverse order. */
  close(): Promise<void>;
}

export type Closers = (() => Promise<void> | void)[];
