import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { LINK_STATE_TTL_MS, LinkStates } from '../../../src/spotify/link-states.ts';

const G = '100000000000000001';
const U = '100000000000000002';

describe('link states', () => {
  it('gives back the guild, user and verifier once', () => {
    const states = new LinkStates({ clock: new ManualClock() });
    const state = states.create(G, U, 'verifier-1').state;
    expect(states.consume(state)).toMatchObject({ guildId: G, userId: U, verifier: 'verifier-1' });
    expect(states.consume(state)).toBeNull();
  });

  it('refuses an unknown state', () => {
    const states = new LinkStates({ clock: new ManualClock() });
    states.create(G, U, 'v');
    expect(states.consume('not-a-state')).toBeNull();
  });

  it('accepts a state until ten minutes have passed, and not at ten minutes', () => {
    const clock = new ManualClock();
    const states = new LinkStates({ clock });
    const early = states.create(G, U, 'v1').state;
    const late = states.create(G, U, 'v2').state;
    clock.advance(LINK_STATE_TTL_MS - 1);
    expect(states.consume(early)).not.toBeNull();
    clock.advance(1);
    expect(states.consume(late)).toBeNull();
  });

  it('keeps each state bound to its own guild and user', () => {
    const states = new LinkStates({ clock: new ManualClock() });
    const a = states.create(G, U, 'va').state;
    const b = states.create('100000000000000003', null, 'vb').state;
    expect(states.consume(b)).toMatchObject({ guildId: '100000000000000003', userId: null, verifier: 'vb' });
    expect(states.consume(a)).toMatchObject({ guildId: G, userId: U, verifier: 'va' });
  });

  it('forgets expired states', () => {
    const clock = new ManualClock();
    const states = new LinkStates({ clock });
    states.create(G, U, 'v');
    states.create(G, U, 'v');
    expect(states.size).toBe(2);
    clock.advance(LINK_STATE_TTL_MS);
    expect(states.size).toBe(0);
  });
});

describe('link state expiry', () => {
  it('says when a state expires', () => {
    const clock = new ManualClock();
    const states = new LinkStates({ clock });
    expect(states.create(G, U, 'v').expiresAt).toBe(clock.now() + LINK_STATE_TTL_MS);
  });
});
