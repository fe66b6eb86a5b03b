import { z } from 'zod';

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());
const withDefault = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
  z.preprocess(emptyAsUndefined, schema.default(fallback as never));

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/**
 * Every environment variable the bot reads, with its default. `.env.example` mirrors this list;
 * `test/unit/config.test.ts` keeps the two in step.
 */
export const envSchema = z.object({
  LOG_LEVEL: withDefault(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),

  DISCORD_TOKEN: optional(z.string().min(20, 'looks too short for a Discord bot token')),
  DISCORD_API_URL: withDefault(url(['http:', 'https:']), 'https://discord.com/api'),
  DISCORD_GUILD_ID: optional(z.string().regex(/^\d{17,20}$/, 'must be a Discord server id (17-20 digits)')),
  REGISTER_COMMANDS: withDefault(z.enum(['auto', 'off']), 'auto'),
  SHARD_COUNT: withDefault(
    z.union([z.literal('auto'), int(1, 65_535)], {
      message: 'must be auto or a number of shards (1 or more)',
    }),
    'auto',
  ),
  SHARD_IDS: optional(
    z
      .string()
      .regex(
        /^(all|\s*\d+\s*(-\s*\d+\s*)?(,\s*\d+\s*(-\s*\d+\s*)?)*)$/,
        'must be all, a range like 0-7 or a list like 0,3',
      ),
  ),

  HTTP_HOST: withDefault(z.string().min(1), '127.0.0.1'),
  HTTP_PORT: withDefault(int(0, 65_535), 8051),
  PUBLIC_URL: optional(url(['http:', 'https:'])),
  API_TOKEN: optional(z.string().min(16, 'must be at least 16 characters (use a long random string)')),
  API_RATE_LIMIT: withDefault(int(0, 1_000_000), 300),
  HTTP_MAX_CONNECTIONS_PER_ADDRESS: withDefault(int(0, 100_000), 64),
  METRICS_GUILD_LABELS: withDefault(z.enum(['true', 'false']), 'false'),

  MEDIA_ALLOWLIST: optional(z.string().max(10_000)),
  IDLE_TIMEOUT_SECONDS: withDefault(int(1, 86_400), 300),
  PANEL_REFRESH_SECONDS: withDefault(int(5, 3_600), 15),
  FFMPEG_PATH: withDefault(z.string().min(1), 'ffmpeg'),

  YOUTUBE_API_KEY: optional(z.string().min(10, 'looks too short for a Google API key')),
  YOUTUBE_API_URL: withDefault(url(['http:', 'https:']), 'https://www.googleapis.com/youtube/v3'),
  YOUTUBE_COOKIE: optional(z.string().max(20_000)),
  YOUTUBE_PO_TOKEN: optional(z.string().max(2_000)),
  YOUTUBE_VISITOR_DATA: optional(z.string().max(2_000)),
  YTDLP_PATH: withDefault(z.string().min(1), 'yt-dlp'),
  SOUNDCLOUD_CLIENT_ID: optional(z.string().regex(/^[A-Za-z0-9]{16,64}$/, 'must be a SoundCloud client id')),

  REDIS_URL: optional(url(['redis:', 'rediss:'])),
  REDIS_CLUSTER_NODES: optional(
    z
      .string()
      .regex(
        /^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/,
        "must be host:port,host:port,... (a Redis Cluster's nodes)",
      ),
  ),
  REDIS_WAIT_REPLICAS: withDefault(int(0, 10), 0),
  REDIS_WAIT_TIMEOUT_MS: withDefault(int(10, 10_000), 500),
  REDIS_NAMESPACE: withDefault(
    z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, "_", "." or "-"'),
    'music_queue',
  ),

  DATABASE_URL: optional(url(['postgres:', 'postgresql:'])),
  PGLITE_DATA_DIR: withDefault(z.string().min(1), './data/pglite'),

  RADIO_POLL_SECONDS: withDefault(int(5, 3_600), 30),

  LYRICS_API_URL: withDefault(url(['http:', 'https:']), 'https://lrclib.net'),

  SPOTIFY_CLIENT_ID: optional(z.string().regex(/^[A-Za-z0-9]{16,64}$/, 'must be a Spotify app client id')),
  SPOTIFY_CLIENT_SECRET: optional(z.string().min(8).max(200)),
  SPOTIFY_REDIRECT_URI: optional(url(['http:', 'https:'])),
  SPOTIFY_ACCOUNTS_URL: withDefault(url(['http:', 'https:']), 'https://accounts.spotify.com'),
  SPOTIFY_API_URL: withDefault(url(['http:', 'https:']), 'https://api.spotify.com/v1'),
  SPOTIFY_POLL_SECONDS: withDefault(int(1, 60), 3),
  TOKEN_ENCRYPTION_KEY: optional(z.string().max(200)),

  TWITCH_USERNAME: optional(
    z
      .string()
      .regex(/^[A-Za-z0-9_]{3,25}$/, "must be the bot account's Twitch login (3-25 letters, digits or _)"),
  ),
  TWITCH_OAUTH_TOKEN: optional(
    z
      .string()
      .regex(/^(oauth:)?[A-Za-z0-9]{20,60}$/, 'must be a Twitch user access token (with or without oauth:)'),
  ),
  TWITCH_CHAT_URL: withDefault(url(['ws:', 'wss:']), 'wss://irc-ws.chat.twitch.tv:443'),

  QUEUE_MAX_LENGTH: withDefault(int(1, 10_000), 500),
  QUEUE_MAX_PER_USER: withDefault(int(1, 10_000), 10),
  QUEUE_TTL_HOURS: withDefault(int(1, 24 * 365), 24),
  QUEUE_HISTORY_LIMIT: withDefault(int(1, 10_000), 200),
});

export type Env = z.infer<typeof envSchema>;
