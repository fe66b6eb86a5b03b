import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../../support/tracks.ts';
import {
  BAD_GUILD_IDS,
  expectInvalidInput,
  newGuild,
  type Repositories,
  repositoryKinds,
} from './harness.ts';

describe.each(repositoryKinds)('guild settings repository on %s', (_kind, open) => {
  let repos: Repositories;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ repos, dispose } = await open());
  });
  afterAll(async () => {
    await dispose?.();
  });

  it('returns the defaults for a guild that never changed a setting', async () => {
    const g = newGuild();
    expect(await repos.settings.get(g)).toEqual({
      guildId: g,
      djRoleId: null,
      voteSkipRatio: 0.5,
      overlayKeyHash: null,
      maxQueueLength: null,
      maxPerUser: null,
      defaultVolume: 100,
      stayInVoice: false,
      requestAccess: 'everyone',
      requestRoleId: null,
      maxTrackSeconds: 0,
      allowLive: true,
      requestCooldownSeconds: 0,
      allowedSources: ['youtube', 'soundcloud', 'spotify', 'http'],
      queueOrder: 'votes',
    });
  });

  it('stores every field of a patch and returns the settings after it', async () => {
    const g = newGuild();
    const updated = await repos.settings.update(g, {
      djRoleId: snowflake(77),
      voteSkipRatio: 0.75,
      overlayKeyHash: 'sha256:abc',
      maxQueueLength: 50,
      maxPerUser: 5,
      defaultVolume: 30,
      stayInVoice: true,
      requestAccess: 'role',
      requestRoleId: snowflake(78),
      maxTrackSeconds: 600,
      allowLive: false,
      requestCooldownSeconds: 30,
      allowedSources: ['youtube', 'spotify'],
      queueOrder: 'fair',
    });
    const expected = {
      guildId: g,
      djRoleId: snowflake(77),
      voteSkipRatio: 0.75,
      overlayKeyHash: 'sha256:abc',
      maxQueueLength: 50,
      maxPerUser: 5,
      defaultVolume: 30,
      stayInVoice: true,
      requestAccess: 'role',
      requestRoleId: snowflake(78),
      maxTrackSeconds: 600,
      allowLive: false,
      requestCooldownSeconds: 30,
      allowedSources: ['youtube', 'spotify'],
      queueOrder: 'fair',
    };
    expect(updated).toEqual(expected);
    expect(await repos.settings.get(g)).toEqual(expected);
  });

  it('keeps the fields a later patch leaves out', async () => {
    const g = newGuild();
    await repos.settings.update(g, { defaultVolume: 40, maxPerUser: 3 });
    const after = await repos.settings.update(g, { voteSkipRatio: 0.3, maxPerUser: undefined });
    expect(after).toMatchObject({ defaultVolume: 40, maxPerUser: 3, voteSkipRatio: 0.3 });
  });

  it('returns a limit to the global default when the patch sets it to null', async () => {
    const g = newGuild();
    await repos.settings.update(g, { maxQueueLength: 20, djRoleId: snowflake(5) });
    const after = await repos.settings.update(g, { maxQueueLength: null, djRoleId: null });
    expect(after.maxQueueLength).toBeNull();
    expect(after.djRoleId).toBeNull();
  });

  it('rejects out-of-range values and unknown fields without storing anything', async () => {
    const g = newGuild();
    const bad: unknown[] = [
      { requestAccess: 'moderators' },
      { maxTrackSeconds: -1 },
      { maxTrackSeconds: 86_401 },
      { requestCooldownSeconds: 1.5 },
      { allowedSources: [] },
      { allowedSources: ['youtube', 'youtube'] },
      { allowedSources: ['vimeo'] },
      { queueOrder: 'random' },
      { voteSkipRatio: 1.5 },
      { voteSkipRatio: -0.1 },
      { defaultVolume: 101 },
      { defaultVolume: 2.5 },
      { maxQueueLength: 0 },
      { maxQueueLength: 10_001 },
      { maxPerUser: 0 },
      { djRoleId: 'not-a-role' },
      { volume: 50 },
    ];
    for (const patch of bad) {
      await expectInvalidInput(repos.settings.update(g, patch as never));
    }
    expect(await repos.settings.get(g)).toMatchObject({ voteSkipRatio: 0.5, defaultVolume: 100 });
  });

  it('names the bad field in the error message', async () => {
    const err = await expectInvalidInput(repos.settings.update(newGuild(), { defaultVolume: 500 }));
    expect(err.message).toContain('defaultVolume');
  });

  it('keeps each guild to its own settings', async () => {
    const a = newGuild();
    const b = newGuild();
    await repos.settings.update(a, { defaultVolume: 10 });
    await repos.settings.update(b, { defaultVolume: 90 });
    expect((await repos.settings.get(a)).defaultVolume).toBe(10);
    expect((await repos.settings.get(b)).defaultVolume).toBe(90);
  });

  describe.each(BAD_GUILD_IDS)('with a guild id that is %s', (_what, bad) => {
    const id = bad as string;

    it('rejects it with a UserError in every method', async () => {
      await expectInvalidInput(repos.settings.get(id));
      await expectInvalidInput(repos.settings.update(id, { defaultVolume: 1 }));
    });
  });
});
