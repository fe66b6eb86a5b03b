import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RadioState } from '../../../src/storage/db/radio-state.ts';
import { snowflake } from '../../support/tracks.ts';
import {
  BAD_GUILD_IDS,
  expectInvalidInput,
  newGuild,
  type Repositories,
  repositoryKinds,
} from './harness.ts';

function radioState(guildId: string, overrides: Partial<RadioState> = {}): RadioState {
  return {
    guildId,
    mode: 'radio',
    previousMode: 'music',
    musicPausedOnSwitch: true,
    switchedAt: '2026-01-02T03:04:05.678Z',
    stationName: 'Lofi',
    stationUrl: 'https://radio.test/lofi.mp3',
    ...overrides,
  };
}

describe.each(repositoryKinds)('radio state repository on %s', (_kind, open) => {
  let repos: Repositories;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ repos, dispose } = await open());
  });
  afterAll(async () => {
    await dispose?.();
  });

  it('returns null for a guild that never switched mode', async () => {
    expect(await repos.radio.get(newGuild())).toBeNull();
  });

  it('reads back the state it saved', async () => {
    const state = radioState(newGuild());
    await repos.radio.save(state);
    expect(await repos.radio.get(state.guildId)).toEqual(state);
  });

  it('replaces the saved state on the next save', async () => {
    const g = newGuild();
    await repos.radio.save(radioState(g));
    const back = radioState(g, {
      mode: 'music',
      previousMode: 'radio',
      musicPausedOnSwitch: false,
      switchedAt: '2026-01-02T04:00:00.000Z',
    });
    await repos.radio.save(back);
    expect(await repos.radio.get(g)).toEqual(back);
  });

  it('keeps a state that never switched, with no station', async () => {
    const state = radioState(newGuild(), {
      mode: 'none',
      previousMode: null,
      musicPausedOnSwitch: false,
      switchedAt: null,
      stationName: null,
      stationUrl: null,
    });
    await repos.radio.save(state);
    expect(await repos.radio.get(state.guildId)).toEqual(state);
  });

  it('gives back the switch time in UTC when it was saved with an offset', async () => {
    const g = newGuild();
    await repos.radio.save(radioState(g, { switchedAt: '2026-01-02T05:04:05.678+02:00' }));
    expect((await repos.radio.get(g))?.switchedAt).toBe('2026-01-02T03:04:05.678Z');
  });

  it('lists only the guilds in the asked mode, by guild id', async () => {
    const later = newGuild();
    const earlier = snowflake(1); // a smaller id, saved after the larger one
    const musicGuild = newGuild();
    await repos.radio.save(radioState(later));
    await repos.radio.save(radioState(earlier));
    await repos.radio.save(radioState(musicGuild, { mode: 'music' }));
    const onRadio = (await repos.radio.listByMode('radio')).map((s) => s.guildId);
    expect(onRadio).toContain(later);
    expect(onRadio.indexOf(earlier)).toBeLessThan(onRadio.indexOf(later));
    expect(onRadio).not.toContain(musicGuild);
    expect((await repos.radio.listByMode('music')).map((s) => s.guildId)).toContain(musicGuild);
  });

  it('rejects a state with an unknown mode or a bad switch time', async () => {
    const g = newGuild();
    await expectInvalidInput(repos.radio.save(radioState(g, { mode: 'party' as never })));
    await expectInvalidInput(repos.radio.save(radioState(g, { switchedAt: 'yesterday' })));
    await expectInvalidInput(repos.radio.listByMode('party' as never));
    expect(await repos.radio.get(g)).toBeNull();
  });

  it('keeps each guild to its own state', async () => {
    const a = newGuild();
    const b = newGuild();
    await repos.radio.save(radioState(a, { stationName: 'A' }));
    await repos.radio.save(radioState(b, { stationName: 'B' }));
    expect((await repos.radio.get(a))?.stationName).toBe('A');
    expect((await repos.radio.get(b))?.stationName).toBe('B');
  });

  describe.each(BAD_GUILD_IDS)('with a guild id that is %s', (_what, bad) => {
    const id = bad as string;

    it('rejects it with a UserError in every method', async () => {
      await expectInvalidInput(repos.radio.get(id));
      await expectInvalidInput(repos.radio.save(radioState(id)));
    });
  });
});
