import { type Actions, type ActionsDeps, createActions } from '../../src/actions/index.ts';
import { systemClock } from '../../src/core/clock.ts';
import { RequestCooldowns } from '../../src/queue/request-rules.ts';
import { MemoryBlocklistRepository } from '../../src/storage/db/blocklist-memory.ts';
import { MemoryGuildSettingsRepository } from '../../src/storage/db/guild-settings-memory.ts';
import { MemoryRatingStore } from '../../src/storage/panel/ratings.ts';

/** A part a test does not use: calling it is a mistake in the test, and says which. */
function unused<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: (_, prop) => () => {
      throw new Error(`this test gave the actions no ${name} (called ${String(prop)})`);
    },
  });
}

/**
 * The real application layer over the parts a test builds (the queue at least); the rest are absent
 * (playback, Spotify) or refuse to be called, so that a route test goes through the same actions as
 * the running app.
 */
export function testActions(parts: Partial<ActionsDeps> & Pick<ActionsDeps, 'queue'>): Actions {
  return createActions({
    tracks: unused('track resolver'),
    playback: null,
    voice: parts.playback !== undefined && parts.playback !== null,
    settings: new MemoryGuildSettingsRepository(),
    ratings: new MemoryRatingStore(),
    blocklist: new MemoryBlocklistRepository(),
    cooldowns: new RequestCooldowns(systemClock),
    mode: unused('mode controller'),
    radio: unused('radio'),
    overlay: unused('overlay keys'),
    spotify: null,
    lyrics: unused('lyrics'),
    playlists: unused('playlists'),
    ...parts,
  });
}

/** For route tests that never touch the queue. */
export function unusedQueue(): ActionsDeps['queue'] {
  return unused<ActionsDeps['queue']>('queue');
}
