/** A guild's linked Spotify account, tokens in clear (only in memory: the database holds them sealed). */
export interface SpotifyAccount {
  guildId: string;
  accessToken: string;
  refreshToken: string;
  /** When the access token expires, milliseconds since the epoch. */
  expiresAt: number;
  scope: string;
  displayName: string | null;
  /** The device chosen for playback; null: the account's active device. */
  deviceId: string | null;
}

/** The token part of an account, as a refresh changes it. */
export type SpotifyTokens = Pick<SpotifyAccount, 'accessToken' | 'refreshToken' | 'expiresAt' | 'scope'>;

/**
 * Seals and opens the tokens for the database (AES-256-GCM, src/spotify/token-cipher.ts); the
 * associated data is the guild id, so a sealed value only opens in its own row.
 */
export interface TokenSealer {
  seal(plaintext: string, associatedData: string): string;
  /** @throws when the value does not open with this key and associated data. */
  open(sealed: string, associatedData: string): string;
}

/** Where each guild's Spotify account lives (spotify_accounts). */
export interface SpotifyTokenRepository {
  /**
   * The guild's account, or null when none is linked.
   * @throws UserError INVALID_INPUT when `guildId` is not a snowflake; UserError SPOTIFY_NOT_LINKED
   *   when the stored tokens no longer open (TOKEN_ENCRYPTION_KEY changed).
   */
  get(guildId: string): Promise<SpotifyAccount | null>;
  /** Creates or replaces the guild's account (a new link). @throws UserError INVALID_INPUT */
  link(account: SpotifyAccount): Promise<void>;
  /**
   * Replaces the tokens after a refresh; false when the account was unlinked meanwhile (nothing is
   * written then, so an unlink is never undone by a refresh that finished after it).
   * @throws UserError INVALID_INPUT
   */
  updateTokens(guildId: string, tokens: SpotifyTokens): Promise<boolean>;
  /** Chooses the playback device (null: the active one); false when no account is linked. */
  setDevice(guildId: string, deviceId: string | null): Promise<boolean>;
  /** Deletes the guild's account; false when there was none. */
  delete(guildId: string): Promise<boolean>;
}
