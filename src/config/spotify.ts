/*
 * Spotify's settings, read from the environment by loadConfig. They live in config (not in
 * src/spotify/) so that parsing the environment depends on nothing above core.
 */

const KEY_BYTES = 32;

/** Spotify is on: the app's credentials, where its servers are, and the key that seals tokens at rest. */
export interface SpotifySettings {
  clientId: string;
  clientSecret: string | undefined;
  redirectUri: string;
  accountsUrl: string;
  apiUrl: string;
  tokenEncryptionKey: Buffer;
  /** How often `GET /me/player` is read while a song plays on a guild's device. */
  pollIntervalMs: number;
}

/** Where Spotify sends the browser back; the default redirect URI is PUBLIC_URL + this. */
export const SPOTIFY_CALLBACK_PATH = '/auth/spotify/callback';

/**
 * Reads TOKEN_ENCRYPTION_KEY: 32 bytes given as 64 hex characters or as base64 (standard or url-safe,
 * padding optional).
 *
 * @throws Error saying what is wrong, for start-up to refuse the setting.
 */
export function parseEncryptionKey(text: string): Buffer {
  const value = text.trim();
  if (/^[0-9a-f]{64}$/i.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === KEY_BYTES) return key;
    throw new Error('TOKEN_ENCRYPTION_KEY must be 32 bytes; this base64 value has another length');
  }
  throw new Error('TOKEN_ENCRYPTION_KEY must be 32 bytes as 64 hex characters or base64');
}
