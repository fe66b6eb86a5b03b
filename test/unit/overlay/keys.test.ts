import { describe, expect, it } from 'vitest';
import { hashKey, OverlayKeys, overlayUrl, sameHash } from '../../../src/overlay/keys.ts';
import { MemoryGuildSettingsRepository } from '../../../src/storage/db/guild-settings-memory.ts';
import { snowflake } from '../../support/tracks.ts';

const G = snowflake(1);
const OTHER = snowflake(2);

describe('overlay keys', () => {
  it('issues a random base64url key of at least 128 bits', async () => {
    const keys = new OverlayKeys(new MemoryGuildSettingsRepository());
    const a = await keys.issue(G);
    const b = await keys.issue(OTHER);
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(a, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(a).not.toBe(b);
  });

  it('stores only the SHA-256 hash of the key', async () => {
    const settings = new MemoryGuildSettingsRepository();
    const key = await new OverlayKeys(settings).issue(G);
    const stored = (await settings.get(G)).overlayKeyHash;
    expect(stored).toBe(hashKey(key));
    expect(stored).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(stored).not.toContain(key);
  });

  it('verifies the current key of its own guild only', async () => {
    const keys = new OverlayKeys(new MemoryGuildSettingsRepository());
    const key = await keys.issue(G);
    expect(await keys.verify(G, key)).toBe(true);
    expect(await keys.verify(OTHER, key)).toBe(false);
  });

  it('refuses a missing, malformed or wrong key, and any key of a guild without one', async () => {
    const keys = new OverlayKeys(new MemoryGuildSettingsRepository());
    const key = await keys.issue(G);
    for (const bad of [
      null,
      undefined,
      '',
      'short',
      `${key}x`,
      key.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
      'ä'.repeat(30),
    ]) {
      expect(await keys.verify(G, bad)).toBe(false);
    }
    expect(await keys.verify(OTHER, key)).toBe(false);
    expect(await keys.verify('not-a-guild', key)).toBe(false);
  });

  it('rotating invalidates the old key at once and tells its listeners', async () => {
    const keys = new OverlayKeys(new MemoryGuildSettingsRepository());
    const rotated: string[] = [];
    keys.onRotate((guildId) => rotated.push(guildId));
    const old = await keys.issue(G);
    const fresh = await keys.issue(G);
    expect(await keys.verify(G, old)).toBe(false);
    expect(await keys.verify(G, fresh)).toBe(true);
    expect(rotated).toEqual([G, G]);
  });

  it('compares hashes only when they have the same length', () => {
    expect(sameHash(hashKey('a'.repeat(22)), hashKey('a'.repeat(22)))).toBe(true);
    expect(sameHash(hashKey('a'.repeat(22)), 'sha256:00')).toBe(false);
  });

  it('builds the overlay URL from the public URL', () => {
    expect(overlayUrl('https://music.example/', G, 'k_-1')).toBe(
      `https://music.example/overlay/${G}?key=k_-1`,
    );
  });
});
