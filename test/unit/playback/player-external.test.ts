import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ManualClock } from '../../../src/core/clock.ts';
import type { InMemoryEventBus } from '../../../src/core/events.ts';
import type { ExternalAudio, MusicPlayer, PlayerEvent } from '../../../src/playback/player.ts';
import type { PlayableStream } from '../../../src/playback/ports.ts';
import type { QueueService } from '../../../src/queue/service.ts';
import { snowflake, track } from '../../support/tracks.ts';
import { nextEvent } from '../../support/wait.ts';
import { playerWorld, type RecordingVoice, type TitleStreams } from './recording.ts';

const G = snowflake(1);
const CHANNEL = snowflake(50);
const ALICE = snowflake(2);

/** A live station's stream, named like the recording session reports it. */
function station(title: string): PlayableStream & { title: string; closed: boolean } {
  const source = {
    title,
    closed: false,
    stream: new PassThrough(),
    type: 'arbitrary' as const,
    live: true,
    close: () => {
      source.closed = true;
    },
  };
  return source;
}

class Listener implements ExternalAudio {
  ends: string[] = [];
  gone: string[] = [];
  onEnd(reason: 'finished' | 'error'): void {
    this.ends.push(reason);
  }
  onGone(reason: string): void {
    this.gone.push(reason);
  }
}

describe('MusicPlayer: a live source (the radio) in the voice session', () => {
  let queue: QueueService;
  let voice: RecordingVoice;
  let streams: TitleStreams;
  let player: MusicPlayer;
  let clock: ManualClock;
  const session = () => voice.sessions.at(-1)!;
  let bus: InMemoryEventBus<PlayerEvent>;

  beforeEach(() => {
    ({ clock, queue, voice, streams, player, bus } = playerWorld({ idleTimeoutMs: 60_000 }));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('joins the given channel to play a station when the bot is in none', async () => {
    const radio = station('Radio');
    await player.playExternal(G, CHANNEL, radio, new Listener());
    expect(session().channelId).toBe(CHANNEL);
    expect(session().played).toEqual(['Radio']);
    expect(player.hasExternal(G)).toBe(true);
    expect(player.state(G).kind).toBe('idle');
  });

  it('refuses while music plays, closing the station stream', async () => {
    await queue.add(G, track({ title: 'A' }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
    const radio = station('Radio');
    await expect(player.playExternal(G, CHANNEL, radio, new Listener())).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(radio.closed).toBe(true);
    expect(session().played).toEqual(['A']);
  });

  it('takes over a paused song, and the song resumes at its place once the station stops', async () => {
    await queue.add(G, track({ title: 'A' }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
    clock.advance(42_000);
    await player.pause(G);
    await player.playExternal(G, null, station('Radio'), new Listener());
    expect(streams.closed).toBe(1); // the paused song's source was released
    await expect(player.resume(G)).rejects.toMatchObject({ code: 'CONFLICT' });
    await player.stopExternal(G);
    await player.resume(G);
    expect(session().played).toEqual(['A', 'Radio', 'A']);
    expect(session().seeks.at(-1)).toBe(42_000);
    expect(player.status(G)).toMatchObject({ state: 'playing', positionMs: 42_000 });
  });

  it('tells the station when its stream ends, without touching the queue', async () => {
    await queue.add(G, track({ title: 'Queued' }), ALICE);
    const listener = new Listener();
    await player.playExternal(G, CHANNEL, station('Radio'), listener);
    session().finishTrack();
    expect(listener.ends).toEqual(['finished']);
    // Nothing should happen to the queue. Were the player to advance it on this end, that work would be
    // queued on the guild's lock by now: a change queued after it (a no-op loop change) runs after it.
    await player.setLoop(G, player.loop(G));
    expect(session().played).toEqual(['Radio']);
    expect((await queue.all(G)).items).toHaveLength(1);
  });

  it('queues without playing while the station has the channel', async () => {
    await player.playExternal(G, CHANNEL, station('Radio'), new Listener());
    await queue.add(G, track({ title: 'A' }), ALICE);
    await player.ensurePlaying(G, CHANNEL);
    expect(session().played).toEqual(['Radio']);
    expect(player.state(G).kind).toBe('idle');
  });

  it('tells the station when everyone left and the bot left too', async () => {
    const listener = new Listener();
    await player.playExternal(G, CHANNEL, station('Radio'), listener);
    const left = nextEvent(bus, (e) => e.type === 'player.idle' && e.reason === 'stopped');
    session().everyoneLeaves();
    await left;
    expect(listener.gone).toEqual(['everyone left the voice channel']);
    expect(session().leftChannel).toBe(true);
    expect(player.hasExternal(G)).toBe(false);
  });

  it('does not leave on the idle timeout while a station plays, and does after it stops', async () => {
    vi.useFakeTimers();
    await player.playExternal(G, CHANNEL, station('Radio'), new Listener());
    await vi.advanceTimersByTimeAsync(120_000);
    expect(session().leftChannel).toBe(false);
    await player.stopExternal(G);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(session().leftChannel).toBe(true);
  });
});
