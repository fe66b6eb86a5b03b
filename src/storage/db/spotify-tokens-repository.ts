import { eq, sql } from 'drizzle-orm';
import { UserError } from '../../core/errors.ts';
import type { Database } from './connection.ts';
import { redacted } from './errors.ts';
import { spotifyAccounts } from './schema.ts';
import type { SpotifyAccount, SpotifyTokenRepository, SpotifyTokens, TokenSealer } from './spotify-tokens.ts';
import { parseGuildId } from './validate.ts';

const t = spotifyAccounts;

/** What `tokens` holds once opened. */
interface SealedPair {
  a: string;
  r: string;
}

/** Linked Spotify accounts in the spotify_accounts table, tokens sealed with the sealer's key. */
export class PgSpotifyTokenRepository implements SpotifyTokenRepository {
  private readonly db: Database;
  private readonly sealer: TokenSealer;

  constructor(db: Database, sealer: TokenSealer) {
    this.db = db;
    this.sealer = sealer;
  }

  async get(guildId: string): Promise<SpotifyAccount | null> {
    const id = parseGuildId(guildId);
    const [row] = await this.db.select().from(t).where(eq(t.guildId, id)).catch(redacted);
    if (!row) return null;
    const pair = this.open(row.tokens, id);
    return {
      guildId: id,
      accessToken: pair.a,
      refreshToken: pair.r,
      expiresAt: row.expiresAt.getTime(),
      scope: row.scope,
      displayName: row.displayName,
      deviceId: row.deviceId,
    };
  }

  async link(account: SpotifyAccount): Promise<void> {
    const id = parseGuildId(account.guildId);
    const values = {
      tokens: this.seal(account, id),
      expiresAt: new Date(account.expiresAt),
      scope: account.scope,
      displayName: account.displayName,
      deviceId: account.deviceId,
    };
    await this.db
      .insert(t)
      .values({ ...values, guildId: id })
      .onConflictDoUpdate({
        target: t.guildId,
        set: { ...values, createdAt: sql`now()`, updatedAt: sql`now()` },
      })
      .catch(redacted);
  }

  async updateTokens(guildId: string, tokens: SpotifyTokens): Promise<boolean> {
    const id = parseGuildId(guildId);
    const updated = await this.db
      .update(t)
      .set({
        tokens: this.seal(tokens, id),
        expiresAt: new Date(tokens.expiresAt),
        scope: tokens.scope,
        updatedAt: sql`now()`,
      })
      .where(eq(t.guildId, id))
      .returning({ guildId: t.guildId })
      .catch(redacted);
    return updated.length > 0;
  }

  async setDevice(guildId: string, deviceId: string | null): Promise<boolean> {
    const id = parseGuildId(guildId);
    const updated = await this.db
      .update(t)
      .set({ deviceId, updatedAt: sql`now()` })
      .where(eq(t.guildId, id))
      .returning({ guildId: t.guildId })
      .catch(redacted);
    return updated.length > 0;
  }

  async delete(guildId: string): Promise<boolean> {
    const id = parseGuildId(guildId);
    const deleted = await this.db
      .delete(t)
      .where(eq(t.guildId, id))
      .returning({ guildId: t.guildId })
      .catch(redacted);
    return deleted.length > 0;
  }

  private seal(tokens: Pick<SpotifyTokens, 'accessToken' | 'refreshToken'>, guildId: string): string {
    const pair: SealedPair = { a: tokens.accessToken, r: tokens.refreshToken };
    return this.sealer.seal(JSON.stringify(pair), guildId);
  }

  private open(sealed: string, guildId: string): SealedPair {
    try {
      const pair = JSON.parse(this.sealer.open(sealed, guildId)) as Partial<SealedPair>;
      if (typeof pair.a === 'string' && typeof pair.r === 'string') return { a: pair.a, r: pair.r };
    } catch {
      // Falls through to the error below: another key, or a damaged value.
    }
    throw new UserError(
      'SPOTIFY_NOT_LINKED',
      'The saved Spotify link can no longer be read (the encryption key changed). Link the account again.',
    );
  }
}
