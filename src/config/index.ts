import { MediaAllowlist } from '../net/address-policy.ts';
import { envSchema } from './schema.ts';
import { parseEncryptionKey, SPOTIFY_CALLBACK_PATH, type SpotifySettings } from './spotify.ts';

export type { SpotifySettings };
export { envSchema };

/**
 * Thrown at start-up when a setting is invalid; its message names each bad variable and the rule it
 * breaks, never its value (which may be a secret).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface Config {
  logLevel: string;
  discord: {
    token: string | undefined;
    apiUrl: string;
    guildId: string | undefined;
    registerCommands: 'auto' | 'off';
    /** `auto`: Discord's recommendation from GET /gateway/bot. */
    shardCount: 'auto' | number;
    /** SHARD_IDS as written (`all`, `0-7`, `0,3`), checked against the count once it is known. */
    shardIds: string | undefined;
  };
  http: {
    host: string;
    port: number;
    publicUrl: string;
    apiToken: string | undefined;
    rateLimitPerMinute: number;
    /** Open connections per client address (0: no cap). */
    maxConnectionsPerAddress: number;
    /** /metrics lists each guild's queue length too (a series per guild). */
    metricsGuildLabels: boolean;
  };
  playback: {
    idleTimeoutMs: number;
    ffmpegPath: string;
    /** How often a control panel's progress line is brought up to date while a song plays. */
    panelRefreshMs: number;
  };
  media: { allowlist: MediaAllowlist };
  youtube: {
    apiKey: string | undefined;
    apiUrl: string;
    cookie: string | undefined;
    poToken: string | undefined;
    visitorData: string | undefined;
    ytDlpPath: string;
  };
  soundcloud: { clientId: string | undefined };
  radio: { pollIntervalMs: number };
  /** LRCLIB or a mirror of its API (`/api/get`, `/api/search`), no trailing slash. */
  lyrics: { apiUrl: string };
  /** Null when SPOTIFY_CLIENT_ID is unset: Spotify is off. */
  spotify: SpotifySettings | null;
  /** Null unless both TWITCH_USERNAME and TWITCH_OAUTH_TOKEN are set: Twitch chat requests are off. */
  twitch: { username: string; token: string; chatUrl: string } | null;
  /** `cluster`: Redis Cluster nodes (REDIS_CLUSTER_NODES); the queue, locks and pub/sub use ioredis's Cluster client. */
  redis: {
    url: string | undefined;
    cluster: { host: string; port: number }[] | null;
    namespace: string;
    /** Replicas a queue change must reach before it is acknowledged (WAIT), and how long to wait. */
    waitReplicas: number;
    waitTimeoutMs: number;
  };
  database: { url: string | undefined; pgliteDataDir: string };
  queue: { maxLength: number; maxPerUser: number; ttlSeconds: number; historyLimit: number };
}

/**
 * Parses the environment once, at start. Throws a `ConfigError` naming every variable that is wrong.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // The setting and the rule only, never the value: a bad value may be a password or a token.
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(environment)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}\nSee .env.example for every setting.`);
  }
  const e = parsed.data;
  // Started by discord.js's ShardingManager (npm run start:cluster): one shard per process, named in SHARDS;
  // each process's side-server listens beside the manager's, on HTTP_PORT + 1 + its shard.
  const managedShard =
    env.SHARDING_MANAGER === 'true' && /^\d{1,5}$/.test(env.SHARDS ?? '') ? Number(env.SHARDS) : null;
  const httpPort =
    managedShard !== null && e.HTTP_PORT !== 0
      ? Math.min(65_535, e.HTTP_PORT + 1 + managedShard)
      : e.HTTP_PORT;
  let allowlist: MediaAllowlist;
  try {
    allowlist = MediaAllowlist.parse(e.MEDIA_ALLOWLIST);
  } catch (err) {
    throw new ConfigError(
      `Invalid configuration:\n  ${(err as Error).message}\nSee .env.example for every setting.`,
    );
  }
  const publicUrl =
    // A shard process's links point at the fleet's public side-server (the manager's port), not its own.
    (
      e.PUBLIC_URL ?? `http://${e.HTTP_HOST.includes(':') ? `[${e.HTTP_HOST}]` : e.HTTP_HOST}:${e.HTTP_PORT}`
    ).replace(/\/+$/, '');
  let spotify: Config['spotify'] = null;
  if (e.SPOTIFY_CLIENT_ID) {
    if (!e.TOKEN_ENCRYPTION_KEY) {
      throw new ConfigError(
        'Invalid configuration:\n  TOKEN_ENCRYPTION_KEY: required when SPOTIFY_CLIENT_ID is set (32 bytes as 64 hex characters or base64; e.g. openssl rand -hex 32)\nSee .env.example for every setting.',
      );
    }
    let key: Buffer;
    try {
      key = parseEncryptionKey(e.TOKEN_ENCRYPTION_KEY);
    } catch (err) {
      throw new ConfigError(
        `Invalid configuration:\n  ${(err as Error).message}\nSee .env.example for every setting.`,
      );
    }
    spotify = {
      clientId: e.SPOTIFY_CLIENT_ID,
      clientSecret: e.SPOTIFY_CLIENT_SECRET,
      redirectUri: e.SPOTIFY_REDIRECT_URI ?? `${publicUrl}${SPOTIFY_CALLBACK_PATH}`,
      accountsUrl: e.SPOTIFY_ACCOUNTS_URL.replace(/\/+$/, ''),
      apiUrl: e.SPOTIFY_API_URL.replace(/\/+$/, ''),
      tokenEncryptionKey: key,
      pollIntervalMs: e.SPOTIFY_POLL_SECONDS * 1000,
    };
  }
  if (Boolean(e.TWITCH_USERNAME) !== Boolean(e.TWITCH_OAUTH_TOKEN)) {
    throw new ConfigError(
      'Invalid configuration:\n  TWITCH_USERNAME and TWITCH_OAUTH_TOKEN: set both (the bot account and its token) or neither\nSee .env.example for every setting.',
    );
  }
  const twitch =
    e.TWITCH_USERNAME && e.TWITCH_OAUTH_TOKEN
      ? {
          username: e.TWITCH_USERNAME.toLowerCase(),
          token: e.TWITCH_OAUTH_TOKEN.replace(/^oauth:/, ''),
          chatUrl: e.TWITCH_CHAT_URL,
        }
      : null;
  return {
    logLevel: e.LOG_LEVEL,
    discord: {
      token: e.DISCORD_TOKEN,
      apiUrl: e.DISCORD_API_URL.replace(/\/+$/, ''),
      guildId: e.DISCORD_GUILD_ID,
      registerCommands: e.REGISTER_COMMANDS,
      shardCount: e.SHARD_COUNT,
      shardIds: e.SHARD_IDS ?? (managedShard !== null ? String(managedShard) : undefined),
    },
    http: {
      host: e.HTTP_HOST,
      port: httpPort,
      publicUrl,
      apiToken: e.API_TOKEN,
      rateLimitPerMinute: e.API_RATE_LIMIT,
      maxConnectionsPerAddress: e.HTTP_MAX_CONNECTIONS_PER_ADDRESS,
      metricsGuildLabels: e.METRICS_GUILD_LABELS === 'true',
    },
    playback: {
      idleTimeoutMs: e.IDLE_TIMEOUT_SECONDS * 1000,
      ffmpegPath: e.FFMPEG_PATH,
      panelRefreshMs: e.PANEL_REFRESH_SECONDS * 1000,
    },
    media: { allowlist },
    youtube: {
      apiKey: e.YOUTUBE_API_KEY,
      apiUrl: e.YOUTUBE_API_URL.replace(/\/+$/, ''),
      cookie: e.YOUTUBE_COOKIE,
      poToken: e.YOUTUBE_PO_TOKEN,
      visitorData: e.YOUTUBE_VISITOR_DATA,
      ytDlpPath: e.YTDLP_PATH,
    },
    soundcloud: { clientId: e.SOUNDCLOUD_CLIENT_ID },
    spotify,
    twitch,
    radio: { pollIntervalMs: e.RADIO_POLL_SECONDS * 1000 },
    lyrics: { apiUrl: e.LYRICS_API_URL.replace(/\/+$/, '') },
    redis: {
      url: e.REDIS_URL,
      cluster: e.REDIS_CLUSTER_NODES
        ? e.REDIS_CLUSTER_NODES.split(',').map((node) => {
            const at = node.lastIndexOf(':');
            return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
          })
        : null,
      namespace: e.REDIS_NAMESPACE,
      waitReplicas: e.REDIS_WAIT_REPLICAS,
      waitTimeoutMs: e.REDIS_WAIT_TIMEOUT_MS,
    },
    database: { url: e.DATABASE_URL, pgliteDataDir: e.PGLITE_DATA_DIR },
    queue: {
      maxLength: e.QUEUE_MAX_LENGTH,
      maxPerUser: e.QUEUE_MAX_PER_USER,
      ttlSeconds: e.QUEUE_TTL_HOURS * 3600,
      historyLimit: e.QUEUE_HISTORY_LIMIT,
    },
  };
}
