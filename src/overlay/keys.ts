import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { GuildSettingsRepository } from '../storage/db/guild-settings.ts';

/** 24 random bytes: 192 bits, 32 base64url characters. */
const KEY_BYTES = 24;
const HASH_PREFIX = 'sha256:';
const KEY_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * Per-guild overlay keys. A key is shown once, when it is issued; only its SHA-256 hash is stored
 * (guild_settings.overlay_key_hash). Issuing again rotates: the old key stops working at once, and
 * listeners (the live hub) close the sockets that were opened with it.
 */
export class OverlayKeys {
  private readonly settings: GuildSettingsRepository;
  private readonly listeners = new Set<(guildId: string) => void>();

  constructor(settings: GuildSettingsRepository) {
    this.settings = settings;
  }

  /**
   * Creates the guild's key, or replaces it. Returns the key: the only time it is ever shown.
   * @throws UserError INVALID_INPUT when `guildId` is not a snowflake
   */
  async issue(guildId: string): Promise<string> {
    const key = randomBytes(KEY_BYTES).toString('base64url');
    await this.settings.update(guildId, { overlayKeyHash: hashKey(key) });
    for (const listener of this.listeners) listener(guildId);
    return key;
  }

  /** Whether `key` is the guild's current key; compares hashes in constant time. */
  async verify(guildId: string, key: string | null | undefined): Promise<boolean> {
    if (typeof key !== 'string' || !KEY_SHAPE.test(key)) return false;
    const stored = await this.currentHash(guildId);
    return stored !== null && sameHash(stored, hashKey(key));
  }

  /** The stored hash of the guild's key; null when none was issued (or the id is not a guild's). */
  async currentHash(guildId: string): Promise<string | null> {
    try {
      return (await this.settings.get(guildId)).overlayKeyHash;
    } catch {
      return null;
    }
  }

  /** Calls `listener(guildId)` after each rotation in this process. Returns an unsubscribe function. */
  onRotate(listener: (guildId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The stored form of a key: `sha256:<hex>`. */
export function hashKey(key: string): string {
  return HASH_PREFIX + createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Constant-time comparison of two stored hashes (equal lengths by construction; others never match). */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The address a streamer pastes into OBS as a Browser Source. */
export function overlayUrl(publicUrl: string, guildId: string, key: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/overlay/${encodeURIComponent(guildId)}?key=${encodeURIComponent(key)}`;
}
