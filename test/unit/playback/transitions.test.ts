import { describe, expect, it } from 'vitest';
import { type GuildPlayer, PlayerGuilds } from '../../../src/playback/guilds.ts';
import { Transitions } from '../../../src/playback/transitions.ts';
import { snowflake, track } from '../../support/tracks.ts';
import { playerWorld } from './recording.ts';

const G = snowflake(1);
const CHANNEL = snowflake(50);
const ALICE = snowflake(2);

/** A state machine whose idle timer and snapshot writer only record what they were asked to do. */
function machine() {
  const calls: string[] = [];
  const transitions = new Transitions({
    idle: {
      arm: (guildId) => calls.push(`arm ${guildId}`),
      cancel: () => calls.push('cancel'),
    },
    snapshots: {
      save: async (_guildId, g: GuildPlayer) => {
        calls.push(`save ${g.state.kind}`);
      },
    },
  });
  const g = new PlayerGuilds().get(G);
  return { calls, transitions, g };
}

async function queuedItem() {
  const { queue } = playerWorld();
  return (await queue.add(G, track({ title: 'A' }), ALICE)).item;
}

describe('player transitions', () => {
  it('walks idle -> connecting -> starting -> playing -> paused -> idle', async () => {
    const { transitions, g } = machine();
    const item = await queuedItem();
    transitions.to(G, g, { kind: 'connecting', channelId: CHANNEL });
    transitions.to(G, g, { kind: 'starting', channelId: CHANNEL, item });
    transitions.to(G, g, { kind: 'playing', channelId: CHANNEL, item, startedAt: 0, offsetMs: 0 });
    transitions.to(G, g, { kind: 'paused', channelId: CHANNEL, item, positionMs: 10 });
    transitions.to(G, g, { kind: 'idle' });
    expect(g.state).toEqual({ kind: 'idle' });
  });

  it('refuses a move that TRANSITIONS does not list, and keeps the state it had', async () => {
    const { transitions, g, calls } = machine();
    const item = await queuedItem();
    expect(() =>
      transitions.to(G, g, { kind: 'playing', channelId: CHANNEL, item, startedAt: 0, offsetMs: 0 }),
    ).toThrow(`player ${G}: no transition idle -> playing`);
    expect(() => transitions.to(G, g, { kind: 'paused', channelId: CHANNEL, item, positionMs: 0 })).toThrow(
      /idle -> paused/,
    );
    expect(g.state).toEqual({ kind: 'idle' });
    expect(calls).toEqual([]);
  });

  it('runs the idle timer only while idle, and saves a snapshot only when the player settles', async () => {
    const { transitions, g, calls } = machine();
    const item = await queuedItem();
    transitions.to(G, g, { kind: 'connecting', channelId: CHANNEL });
    expect(calls).toEqual(['cancel']);
    transitions.to(G, g, { kind: 'starting', channelId: CHANNEL, item });
    transitions.to(G, g, { kind: 'playing', channelId: CHANNEL, item, startedAt: 0, offsetMs: 0 });
    transitions.to(G, g, { kind: 'paused', channelId: CHANNEL, item, positionMs: 10 });
    transitions.to(G, g, { kind: 'idle' });
    expect(calls).toEqual([
      'cancel',
      'cancel',
      'cancel',
      'save playing',
      'cancel',
      'save paused',
      `arm ${G}`,
      'save idle',
    ]);
  });
});
