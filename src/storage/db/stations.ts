import { z } from 'zod';
import { isSafeText, plainLine, safeText, UNSAFE_TEXT_MESSAGE } from '../../core/text.ts';
import { headersSchema, isHeaderValue } from '../../net/headers.ts';
import type { StoredStationConfig } from './schema.ts';
import { parseInput } from './validate.ts';

/** The seed's StationConfig, plus whether the station is enabled. */
export interface Station {
  name: string;
  /** icecast, pretzel, epidemic, ... (music_provider_config.provider_type) */
  provider: string;
  streamUrl: string;
  apiEndpoint: string | null;
  apiKey: string | null;
  metadataPath: string | null;
  /** kbps */
  bitrate: number | null;
  codec: string | null;
  customHeaders: Record<string, string>;
  enabled: boolean;
}

const httpUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .max(2048)
  .refine(isSafeText, { message: UNSAFE_TEXT_MESSAGE });

/**
 * A station's name: what users type to pick it, unique within a guild. One line of text: NUL and lone
 * surrogates would fail in PostgreSQL (a 500), control characters have no place in a name.
 */
export const stationNameSchema = plainLine().trim().min(1).max(100);

/** A station as given to `upsert`; the optional fields default to null, `{}` and enabled. */
export const stationSchema = z.strictObject({
  name: stationNameSchema,
  provider: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, 'must be a provider type such as icecast'),
  streamUrl: httpUrl,
  apiEndpoint: httpUrl.nullable().default(null),
  // The key goes out in an Authorization header: one line, as a header value must be.
  apiKey: z
    .string()
    .min(1)
    .max(1024)
    .refine(isHeaderValue, { message: 'must be one line of text that can go in a request header' })
    .nullable()
    .default(null),
  metadataPath: safeText().min(1).max(1024).nullable().default(null),
  bitrate: z.int().min(1).max(10_000).nullable().default(null),
  codec: plainLine().min(1).max(20).nullable().default(null),
  customHeaders: headersSchema.default({}),
  enabled: z.boolean().default(true),
});

export type StationInput = z.input<typeof stationSchema>;

/**
 * @throws UserError INVALID_INPUT naming the first bad field.
 */
export function parseStation(station: unknown): Station {
  return parseInput(stationSchema, station, 'station');
}

/**
 * @throws UserError INVALID_INPUT when the name is empty or too long.
 */
export function parseStationName(name: unknown): string {
  return parseInput(stationNameSchema, name, 'station name');
}

/** The JSONB the seed stores, snake_case keys. */
export function toStoredConfig(station: Station): StoredStationConfig {
  return {
    name: station.name,
    stream_url: station.streamUrl,
    api_endpoint: station.apiEndpoint,
    api_key: station.apiKey,
    metadata_path: station.metadataPath,
    bitrate: station.bitrate,
    codec: station.codec,
    custom_headers: { ...station.customHeaders },
  };
}

// Lenient on read: rows written by hand after the seed's example may leave optional keys out.
const storedConfigSchema = z.object({
  stream_url: z.string(),
  api_endpoint: z.string().nullish(),
  api_key: z.string().nullish(),
  metadata_path: z.string().nullish(),
  bitrate: z.number().nullish(),
  codec: z.string().nullish(),
  custom_headers: z.record(z.string(), z.string()).nullish(),
});

/**
 * A station from a music_provider_config row.
 * @throws Error when the stored config lacks a stream URL or has wrongly typed fields.
 */
export function fromStored(row: {
  name: string;
  providerType: string;
  isEnabled: boolean | null;
  config: unknown;
}): Station {
  const parsed = storedConfigSchema.safeParse(row.config);
  if (!parsed.success) {
    throw new Error(`station "${row.name}" has an unreadable config: ${parsed.error.issues[0]?.message}`);
  }
  const c = parsed.data;
  return {
    name: row.name,
    provider: row.providerType,
    streamUrl: c.stream_url,
    apiEndpoint: c.api_endpoint ?? null,
    apiKey: c.api_key ?? null,
    metadataPath: c.metadata_path ?? null,
    bitrate: c.bitrate ?? null,
    codec: c.codec ?? null,
    customHeaders: { ...(c.custom_headers ?? {}) },
    enabled: row.isEnabled !== false,
  };
}

/** Stations sorted the same way by every implementation. */
export function byName(a: Station, b: Station): number {
  return a.name.localeCompare(b.name, 'en');
}

/** Radio stations per guild (music_provider_config). */
export interface StationRepository {
  /**
   * The guild's stations, sorted by name.
   * @throws UserError INVALID_INPUT when `guildId` is not a snowflake.
   */
  list(guildId: string): Promise<Station[]>;
  /**
   * The guild's station of that name (exact match), or null.
   * @throws UserError INVALID_INPUT when `guildId` is not a snowflake.
   */
  get(guildId: string, name: string): Promise<Station | null>;
  /**
   * Creates the station, or replaces the guild's station of the same name. Returns it as stored.
   * @throws UserError INVALID_INPUT when `guildId` is not a snowflake or the station is invalid.
   */
  upsert(guildId: string, station: StationInput): Promise<Station>;
  /**
   * Deletes the guild's station of that name; resolves whether it existed.
   * @throws UserError INVALID_INPUT when `guildId` is not a snowflake.
   */
  remove(guildId: string, name: string): Promise<boolean>;
}
