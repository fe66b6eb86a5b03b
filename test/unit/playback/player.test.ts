import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ManualClock } from '../../../src/core/clock.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import { MusicPlayer, type PlayerEvent } from '../../../src/playback/player.ts';
import type { QueueService } from '../../../src/queue/service.ts';
import { snowflake, track } from '../../support/tracks.ts';
import { nextEvent } from '../../support/wait.ts';
import { playerWorld, type RecordingVoice, type TitleStreams } from './recording.ts';

const G = snowflake(1);
const CHANNEL = snowflake(50);
const ALICE = snowflake(2);
const BOB = snowflake(3);
const CAROL = snowflake(4);

describe('MusicPlayer', () => {
  let queue: QueueService;
  let voice: RecordingVoice;
  let streams: TitleStreams;
  let player: MusicPlayer;
  let events: PlayerEvent[];
  let clock: ManualClock;
  let stayInVoice: boolean;
  let bus: InMemoryEventBus<PlayerEvent>;
  let finishTrack: () => Promise<PlayerEvent>;

  beforeEach(() => {
    stayInVoice = false;
    ({ clock, queue, voice, streams, player, events, bus, finishTrack } = playerWorld({
      stayInVoice: () => stayInVoice,
    }));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const session = () => voice.sessions.at(-1)!;

  it('joins, plays the highest-voted song and announces it', async () => {
    await queue.add(G, track({ title: 'A' }), ALICE);
    const b = await queue.add(G, track({ title: 'B' }), BOB);
    await queue.vote(G, b.item.id, CAROL, 1);
    await player.ensurePlaying(G, CHANNEL);
    expect(session().played).toEqual(['B']);
    expect(player.state(G).kind).toBe('playing');
    expect((await queue.nowPlaying(G))?.track.title).toBe('B');
    expect(events.map((e) => e.type)).toEqual(['player.now_playing']);
  });

  it('moves on when a track ends, marking it played with the time it played', async () => {
    await queue.add(G, track({ title: 'A' }), ALICE);
    await queue.add(G, track({ title: 'B' }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
    clock.advance(4_000);
    expect(await finishTrack()).toMatchObject({
      type: 'player.now_playing',
      item: { track: { title: 'B' } },
    });
    expect(session().played).toEqual(['A', 'B']);
    const [played] = await queue.history(G, 1);
    expect(played).toMatchObject({ status: 'played' });
    expect((await queue.stats(G)).totalPlayedMs).toBe(4_000);
  });

  it('goes idle, staying in the channel, when the queue runs out', async () => {
    await queue.add(G, track({ title: 'A' }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
    await finishTrack();
    expect(player.state(G).kind).toBe('idle');
    expect(session().leftChannel).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'player.idle', guildId: G, reason: 'queue_empty' });
  });

  it('skips a track that cannot be opened and plays the next, saying why', async () => {
    streams.failing.add('Broken');
    await queue.add(G, track({ title: 'Broken' }), ALICE);
    await queue.add(G, track({ title: 'Fine' }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
    expect(session().played).toEqual(['Fine']);
    expect(events[0]).toMatchObject({ type: 'player.track_failed', message: 'Broken is unavailable' });
    expect((await queue.history(G, 1))[0]).toMatchObject({ status: 'skipped' });
  });

  it('pauses and resumes, keeping the position, and refuses doing either twice', async () => {
    await queue.add(G, track({ title: 'A' }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
    clock.advance(10_000);
    await player.pause(G);
    expect(session().paused).toBe(true);
    clock.advance(60_000);
    expect(player.status(G).positionMs).toBe(10_000);
    await expect(player.pause(G)).rejects.toMatchObject({ code: 'CONFLICT' });
    await player.resume(G);
    clock.advance(1_000);
    expect(player.status(G)).toMatchObject({ state: 'playing', positionMs: 11_000 });
    await expect(player.resume(G)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('stops: leaves the channel, ends the playing song as skipped, keeps the queue', async () => {
    await queue.add(G, track({ title: 'A' }), ALICE);
    await queue.add(G, track({ title: 'B' }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
    await player.stop(G);
    expect(session().leftChannel).toBe(true);
    expect(player.state(G).kind).toBe('idle');
    expect((await queue.all(G)).items.map((i) => i.track.title)).toEqual(['B']);
    await expect(player.stop(G)).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
  });

  it('says nothing is playing for skip, pause and resume when idle', async () => {
    for (const action of [() => player.skip(G), () => player.pause(G), () => player.resume(G)]) {
      await expect(action()).rejects.toMatchObject({ code: 'NOTHING_PLAYING' });
    }
  });

  it('needs a voice channel to start', async () => {
    await queue.add(G, track(), ALICE);
    await expect(player.ensurePlaying(G, null)).rejects.toMatchObject({ code: 'NOT_IN_VOICE' });
    expect(player.state(G).kind).toBe('idle');
  });

  describe('skip requests', () => {
    beforeEach(async () => {
      await queue.add(G, track({ title: 'Alice song' }), ALICE);
      await queue.add(G, track({ title: 'Next' }), BOB);
      await player.ensurePlaying(G, CHANNEL);
    });

    it('skips at once for the requester', async () => {
      const outcome = await player.requestSkip(G, { userId: ALICE, privileged: false, ratio: 0.5 });
      expect(outcome).toMatchObject({ skipped: true, item: { track: { title: 'Alice song' } } });
      expect(session().played).toEqual(['Alice song', 'Next']);
    });

    it('skips at once for a DJ', async () => {
      expect(await player.requestSkip(G, { userId: BOB, privileged: true, ratio: 0.5 })).toMatchObject({
        skipped: true,
      });
    });

    it('counts other listeners toward half the channel, once each', async () => {
      const first = await player.requestSkip(G, { userId: BOB, privileged: false, ratio: 0.5 });
      expect(first).toMatchObject({ skipped: false, count: 1, needed: 2, counted: true });
      const again = await player.requestSkip(G, { userId: BOB, privileged: false, ratio: 0.5 });
      expect(again).toMatchObject({ skipped: false, count: 1, counted: false });
      const second = await player.requestSkip(G, { userId: CAROL, privileged: false, ratio: 0.5 });
      expect(second).toMatchObject({ skipped: true });
    });

    it('refuses a vote from someone not listening', async () => {
      await expect(
        player.requestSkip(G, { userId: snowflake(99), privileged: false, ratio: 0.5 }),
      ).rejects.toMatchObject({
        code: 'NOT_IN_VOICE',
      });
    });
  });

  it('cleans up when the voice connection is gone', async () => {
    await queue.add(G, track({ title: 'A' }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
    const gone = nextEvent(bus, (e) => e.type === 'player.idle');
    session().disconnect();
    await gone;
    await expect(player.stop(G)).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    expect(player.state(G).kind).toBe('idle');
    expect(events.at(-1)).toEqual({ type: 'player.idle', guildId: G, reason: 'disconnected' });
  });

  describe('leaving and staying', () => {
    it('leaves after the idle timeout when the queue runs out', async () => {
      vi.useFakeTimers();
      await queue.add(G, track({ title: 'A' }), ALICE);
      await player.ensurePlaying(G, CHANNEL);
      session().finishTrack();
      await vi.advanceTimersByTimeAsync(299_000);
      expect(session().leftChannel).toBe(false);
      await vi.advanceTimersByTimeAsync(2_000);
      expect(session().leftChannel).toBe(true);
    });

    it('stays with nothing to play when the guild is 24/7', async () => {
      vi.useFakeTimers();
      stayInVoice = true;
      await queue.add(G, track({ title: 'A' }), ALICE);
      await player.ensurePlaying(G, CHANNEL);
      session().finishTrack();
      await vi.advanceTimersByTimeAsync(600_000);
      expect(session().leftChannel).toBe(false);
    });

    it('a new song cancels the idle timeout', async () => {
      vi.useFakeTimers();
      await queue.add(G, track({ title: 'A' }), ALICE);
      await player.ensurePlaying(G, CHANNEL);
      session().finishTrack();
      await vi.advanceTimersByTimeAsync(200_000);
      await queue.add(G, track({ title: 'B' }), ALICE);
      await player.ensurePlaying(G, CHANNEL);
      await vi.advanceTimersByTimeAsync(200_000);
      expect(session().leftChannel).toBe(false);
      expect(player.state(G).kind).toBe('playing');
    });

    it('leaves when everyone else has left the channel, ending the song as skipped', async () => {
      await queue.add(G, track({ title: 'A' }), ALICE);
      await queue.add(G, track({ title: 'B' }), ALICE);
      await player.ensurePlaying(G, CHANNEL);
      const left = nextEvent(bus, (e) => e.type === 'player.idle');
      session().everyoneLeaves();
      await left;
      await expect(player.stop(G)).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
      expect(session().leftChannel).toBe(true);
      expect((await queue.history(G, 1))[0]).toMatchObject({ status: 'skipped' });
    });
  });

  describe('resume after a restart', () => {
    it('forgets the saved position when stopped', async () => {
      await queue.add(G, track({ title: 'A' }), ALICE);
      await player.ensurePlaying(G, CHANNEL);
      expect(await queue.playbackSnapshots()).toHaveLength(1);
      await player.stop(G);
      expect(await queue.playbackSnapshots()).toEqual([]);
    });

    it('saves the position while playing, and keeps it over a shutdown', async () => {
      await queue.add(G, track({ title: 'A' }), ALICE);
      await player.ensurePlaying(G, CHANNEL);
      clock.advance(42_000);
      player.saveAll();
      await player.shutdown();
      const [saved] = await queue.playbackSnapshots();
      expect(saved).toMatchObject({ guildId: G, channelId: CHANNEL, positionMs: 42_000, paused: false });
    });

    it('a new player rejoins the saved channel and plays the same item from the saved position', async () => {
      const a = await queue.add(G, track({ title: 'A' }), ALICE);
      await player.ensurePlaying(G, CHANNEL);
      clock.advance(30_000);
      await player.shutdown();
      const [snapshot] = await queue.playbackSnapshots();
      const next = new MusicPlayer({
        queue,
        voice,
        streams,
        clock,
        logger: silentLogger(),
        bus: new InMemoryEventBus<PlayerEvent>(),
        idleTimeoutMs: 300_000,
        stayInVoice: async () => false,
      });
      expect(await next.restore(snapshot!)).toBe(true);
      expect(session().played).toEqual(['A']);
      expect(session().seeks).toEqual([30_000]);
      clock.advance(1_000);
      expect(next.status(G)).toMatchObject({ state: 'playing', positionMs: 31_000 });
      expect((await queue.nowPlaying(G))?.id).toBe(a.item.id);
    });

    it('does not resume an item that is no longer playing, and forgets the snapshot', async () => {
      await queue.add(G, track({ title: 'A' }), ALICE);
      await player.ensurePlaying(G, CHANNEL);
      await player.shutdown();
      const [snapshot] = await queue.playbackSnapshots();
      await queue.skipCurrent(G);
      expect(await player.restore(snapshot!)).toBe(false);
      expect(await queue.playbackSnapshots()).toEqual([]);
    });
  });
});
