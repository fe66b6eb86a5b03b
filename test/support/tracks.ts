import type { TrackInput } from '../../src/core/track.ts';

let counter = 0;

/** A valid track; each call gives a new id unless one is given. */
export function track(overrides: Partial<TrackInput> = {}): TrackInput {
  counter += 1;
  return {
    id: `t${counter}`,
    title: `Song ${counter}`,
    artist: 'Test Artist',
    album: null,
    artworkUrl: null,
    durationMs: 180_000,
    provider: 'http',
    uri: `http://media.test/${counter}.mp3`,
    metadata: {},
    ...overrides,
  };
}

/** Deterministic Discord-like ids (17+ digits) for tests. */
export function snowflake(n: number): string {
  return (100000000000000000n + BigInt(n)).toString();
}
