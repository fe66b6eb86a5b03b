import { beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../../src/core/clock.ts';
import type { MusicPlayer } from '../../../src/playback/player.ts';
import type { QueueService } from '../../../src/queue/service.ts';
import { snowflake, track } from '../../support/tracks.ts';
import { playerWorld, type RecordingVoice } from './recording.ts';

const G = snowflake(1);
const CHANNEL = snowflake(50);
const ALICE = snowflake(2);

describe('MusicPlayer: loop, seek and volume', () => {
  let queue: QueueService;
  let voice: RecordingVoice;
  let player: MusicPlayer;
  let clock: ManualClock;
  let defaultVolume: number;
  const session = () => voice.sessions.at(-1)!;
  let finishTrack: () => Promise<unknown>;

  beforeEach(() => {
    defaultVolume = 100;
    ({ clock, queue, voice, player, finishTrack } = playerWorld({ defaultVolume: () => defaultVolume }));
  });

  it('loop off plays each song once', async () => {
    await queue.add(G, track({ title: 'A' }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
    await finishTrack();
    expect(session().played).toEqual(['A']);
    expect(player.state(G).kind).toBe('idle');
  });

  it('loop track repeats the playing song from the start without marking it played', async () => {
    await queue.add(G, track({ title: 'A' }), ALICE);
    await queue.add(G, track({ title: 'B' }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
    await player.setLoop(G, 'track');
    await finishTrack();
    await finishTrack();
    expect(session().played).toEqual(['A', 'A', 'A']);
    expect(session().seeks).toEqual([0, 0, 0]);
    expect(await queue.history(G, 5)).toEqual([]);
    await player.setLoop(G, 'off');
    await finishTrack();
    expect(session().played).toEqual(['A', 'A', 'A', 'B']);
  });

  it('loop queue puts each finished song back at the end of the queue', async () => {
    await queue.add(G, track({ title: 'A' }), ALICE);
    await queue.add(G, track({ title: 'B' }), ALICE);
    await player.setLoop(G, 'queue');
    await player.ensurePlaying(G, CHANNEL);
    for (let i = 0; i < 3; i += 1) {
      await finishTrack();
    }
    expect(session().played).toEqual(['A', 'B', 'A', 'B']);
    const { items } = await queue.all(G);
    expect(items.map((i) => i.track.title)).toEqual(['A']);
    expect(items[0]?.requestedBy).toBe(ALICE);
  });

  it('seeks in the playing song: reopens it there and counts the position from it', async () => {
    await queue.add(G, track({ title: 'A', durationMs: 180_000 }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
    clock.advance(5_000);
    await player.seek(G, 90_000);
    expect(session().played).toEqual(['A', 'A']);
    expect(session().seeks).toEqual([0, 90_000]);
    clock.advance(2_000);
    expect(player.status(G)).toMatchObject({ state: 'playing', positionMs: 92_000 });
  });

  it('keeps a paused song paused after a seek', async () => {
    await queue.add(G, track({ title: 'A' }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
    await player.pause(G);
    await player.seek(G, 30_000);
    expect(session().paused).toBe(true);
    clock.advance(10_000);
    expect(player.status(G)).toMatchObject({ state: 'paused', positionMs: 30_000 });
  });

  it('refuses a seek past the end, into a live stream, or with nothing playing', async () => {
    await expect(player.seek(G, 0)).rejects.toMatchObject({ code: 'NOTHING_PLAYING' });
    await queue.add(G, track({ title: 'A', durationMs: 60_000 }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
    await expect(player.seek(G, 60_000)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'Pick a time between 0:00 and 1:00.',
    });
    await expect(player.seek(G, -1)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await player.stop(G);
    await queue.add(G, track({ title: 'Radio', durationMs: null, metadata: { live: true } }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
    await expect(player.seek(G, 1_000)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(session().played).toEqual(['Radio']);
  });

  it("starts songs at the guild's default volume", async () => {
    defaultVolume = 40;
    await queue.add(G, track({ title: 'A' }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
    expect(session().volumes).toEqual([40]);
  });

  it('changes the volume of the playing song at its place, and keeps it for the next', async () => {
    await queue.add(G, track({ title: 'A' }), ALICE);
    await queue.add(G, track({ title: 'B' }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
    clock.advance(7_000);
    expect(await player.setVolume(G, 25)).toBe(25);
    expect(session().volumes).toEqual([100, 25]);
    expect(session().seeks).toEqual([0, 7_000]);
    await player.setVolume(G, 25); // no change: nothing reopened
    expect(session().played).toEqual(['A', 'A']);
    await finishTrack();
    expect(session().volumes).toEqual([100, 25, 25]);
  });

  it('refuses a volume outside 0..100', async () => {
    await expect(player.setVolume(G, 101)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(player.setVolume(G, 2.5)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(player.volume(G)).toBeNull();
  });
});
