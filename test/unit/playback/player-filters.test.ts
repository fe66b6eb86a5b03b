import { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../../src/core/clock.ts';
import { overlaySource } from '../../../src/overlay/source.ts';
import type { MusicPlayer } from '../../../src/playback/player.ts';
import type { QueueService } from '../../../src/queue/service.ts';
import { snowflake, track } from '../../support/tracks.ts';
import { playerWorld, type RecordingVoice } from './recording.ts';

const G = snowflake(1);
const CHANNEL = snowflake(50);
const ALICE = snowflake(2);
const NIGHTCORE = 'aresample=48000,asetrate=60000,aresample=48000';

describe('MusicPlayer: audio filters', () => {
  let queue: QueueService;
  let voice: RecordingVoice;
  let player: MusicPlayer;
  let clock: ManualClock;
  let finishTrack: () => Promise<unknown>;
  const session = () => voice.sessions.at(-1)!;
  const position = () => player.status(G).positionMs;

  beforeEach(() => {
    ({ clock, queue, voice, player, finishTrack } = playerWorld());
  });

  const play = async (...titles: string[]) => {
    for (const title of titles) await queue.add(G, track({ title }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
  };

  it('re-opens the playing song at its place through the filter, and keeps it for the next song', async () => {
    await play('A', 'B');
    clock.advance(8_000);
    const set = await player.setFilter(G, 'nightcore');
    expect(set).toEqual({ preset: 'nightcore', eq: { bass: 0, mid: 0, treble: 0 } });
    expect(session().played).toEqual(['A', 'A']);
    expect(session().seeks).toEqual([0, 8_000]);
    expect(session().filters).toEqual([null, NIGHTCORE]);
    await finishTrack();
    expect(session().played).toEqual(['A', 'A', 'B']);
    expect(session().filters.at(-1)).toBe(NIGHTCORE);
  });

  it('positions move at the song’s speed: status, seek, pause and resume, and a change back to off', async () => {
    await play('A');
    clock.advance(10_000);
    await player.setFilter(G, 'nightcore');
    clock.advance(4_000);
    expect(position()).toBe(15_000); // 10 s, then 4 s at ×1.25
    await player.seek(G, 60_000);
    clock.advance(8_000);
    expect(position()).toBe(70_000);
    await player.pause(G);
    clock.advance(30_000);
    expect(position()).toBe(70_000);
    await player.resume(G);
    clock.advance(4_000);
    expect(position()).toBe(75_000);
    await player.setFilter(G, 'vaporwave');
    expect(session().seeks.at(-1)).toBe(75_000);
    clock.advance(5_000);
    expect(position()).toBe(79_000);
    await player.setFilter(G, 'off');
    expect(session().seeks.at(-1)).toBe(79_000);
    expect(session().filters.at(-1)).toBeNull();
    clock.advance(5_000);
    expect(position()).toBe(84_000);
    expect(player.filter(G)).toBeNull();
  });

  it('keeps a paused song paused when the filter changes', async () => {
    await play('A');
    clock.advance(3_000);
    await player.pause(G);
    await player.setEq(G, { bass: 6 });
    expect(player.state(G)).toMatchObject({ kind: 'paused', positionMs: 3_000 });
    expect(session().paused).toBe(true);
    expect(session().filters.at(-1)).toBe('bass=g=6:f=150:w=0.5');
  });

  it('an eq change keeps the preset and the other bands; the same filter again re-opens nothing', async () => {
    await play('A');
    await player.setFilter(G, 'bassboost');
    await player.setEq(G, { treble: 4 });
    expect(await player.setEq(G, { mid: -2 })).toEqual({
      preset: 'bassboost',
      eq: { bass: 0, mid: -2, treble: 4 },
    });
    const opened = session().played.length;
    await player.setFilter(G, 'bassboost');
    await player.setEq(G, { mid: -2 });
    expect(session().played.length).toBe(opened);
    await player.setEq(G, { mid: 0, treble: 0 });
    await player.setFilter(G, 'off');
    expect(player.filter(G)).toBeNull();
  });

  it('refuses with nothing playing, and refuses bad gains without changing anything', async () => {
    await expect(player.setFilter(G, 'nightcore')).rejects.toMatchObject({ code: 'NOTHING_PLAYING' });
    await play('A');
    await player.setEq(G, { bass: 3 });
    await expect(player.setEq(G, { bass: 20 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(player.setEq(G, {})).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(player.filter(G)?.eq.bass).toBe(3);
  });

  it('refuses a filter on a live stream, and plays a live stream after a song unfiltered at speed 1', async () => {
    await queue.add(G, track({ title: 'Song' }), ALICE);
    await queue.add(G, track({ title: 'Live', durationMs: null, metadata: { live: true } }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
    await player.setFilter(G, 'nightcore');
    await finishTrack();
    expect(session().played.at(-1)).toBe('Live');
    expect(session().filters.at(-1)).toBeNull();
    expect(player.state(G)).toMatchObject({ kind: 'playing', speed: 1 });
    await expect(player.setFilter(G, 'vaporwave')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'A live stream cannot be filtered: filters work on songs only.',
    });
  });

  it('refuses a filter while the radio has the channel', async () => {
    await play('A');
    await player.pause(G);
    const radio = { stream: new PassThrough(), type: 'arbitrary' as const, live: true, close() {} };
    await player.playExternal(G, null, radio, { onEnd() {}, onGone() {} });
    await expect(player.setFilter(G, '8d')).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'radio' },
    });
    expect(player.filter(G)).toBeNull();
  });

  it('the overlay hears the filter’s label and speed with the position', async () => {
    await play('A');
    clock.advance(2_000);
    await player.setFilter(G, 'nightcore');
    clock.advance(4_000);
    const source = overlaySource({
      queue,
      mode: { get: async () => ({ guildId: G, mode: 'music' }) as never },
      player,
      clock,
    });
    expect(await source.nowPlaying(G)).toMatchObject({
      filter: 'nightcore ×1.25',
      speed: 1.25,
      position_ms: 7_000,
      paused: false,
    });
    await player.setFilter(G, 'off');
    expect(await source.nowPlaying(G)).toMatchObject({ filter: null, speed: 1 });
  });
});
