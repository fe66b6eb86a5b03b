import { beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.ts';
import type { Track } from '../../../src/core/track.ts';
import type { MusicPlayer } from '../../../src/playback/player.ts';
import type { PlayableStream, VoiceSession } from '../../../src/playback/ports.ts';
import type { QueueService } from '../../../src/queue/service.ts';
import { snowflake, track } from '../../support/tracks.ts';
import { waitFor } from '../../support/wait.ts';
import { playerWorld, RecordingVoice, TitleStreams } from './recording.ts';

const G = snowflake(1);
const CHANNEL = snowflake(50);
const ALICE = snowflake(2);
const BOB = snowflake(3);

/** A voice layer whose join the test releases, and that records what it prepared. */
class SlowVoice extends RecordingVoice {
  prepared: string[] = [];
  failJoin = false;
  private release: (() => void) | null = null;
  private onJoin: () => void = () => {};
  /** Resolves when the player asked to join. */
  joining = new Promise<void>((resolve) => {
    this.onJoin = resolve;
  });

  prepare(source: PlayableStream): PlayableStream {
    this.prepared.push((source as PlayableStream & { title: string }).title);
    return source;
  }

  override async join(guildId: string, channelId: string): Promise<VoiceSession> {
    this.onJoin();
    await new Promise<void>((resolve) => {
      this.release = resolve;
    });
    if (this.failJoin) throw new UserError('NOT_CONNECTED', 'I could not connect to the voice channel.');
    return super.join(guildId, channelId);
  }

  finishJoin(): void {
    this.release?.();
  }
}

/** Counts opens per title. */
class CountingStreams extends TitleStreams {
  opened: string[] = [];
  override async open(t: Track): Promise<PlayableStream> {
    this.opened.push(t.title);
    return super.open(t);
  }
}

describe('MusicPlayer: the first song opens while the voice connection is made', () => {
  let queue: QueueService;
  let voice: SlowVoice;
  let streams: CountingStreams;
  let player: MusicPlayer;

  beforeEach(() => {
    ({ queue, voice, streams, player } = playerWorld({
      voice: new SlowVoice(),
      streams: new CountingStreams(),
    }));
  });

  it('opens and prepares the next song during the join, and plays that same stream', async () => {
    await queue.add(G, track({ title: 'A' }), ALICE);
    const playing = player.ensurePlaying(G, CHANNEL);
    await voice.joining;
    await waitFor(() => streams.opened.length > 0, { what: 'the first song to open' });
    expect(streams.opened).toEqual(['A']); // before the connection is ready
    voice.finishJoin();
    await playing;
    expect(voice.prepared).toEqual(['A']);
    expect(streams.opened).toEqual(['A']); // not opened a second time
    expect(voice.sessions[0]!.played).toEqual(['A']);
  });

  it('drops the early stream when a vote changed the first song during the join', async () => {
    await queue.add(G, track({ title: 'A' }), ALICE);
    const b = await queue.add(G, track({ title: 'B' }), ALICE);
    const playing = player.ensurePlaying(G, CHANNEL);
    await voice.joining;
    await waitFor(() => streams.opened.includes('A'), { what: 'A to open during the join' });
    await queue.vote(G, b.item.id, BOB, 1);
    voice.finishJoin();
    await playing;
    expect(voice.sessions[0]!.played).toEqual(['B']);
    expect(streams.closed).toBe(1); // A's early stream
  });

  it('closes the early stream when the join fails, and leaves the song queued', async () => {
    await queue.add(G, track({ title: 'A' }), ALICE);
    voice.failJoin = true;
    const playing = player.ensurePlaying(G, CHANNEL);
    await voice.joining;
    voice.finishJoin();
    await expect(playing).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    await expect.poll(() => streams.closed).toBe(1);
    expect((await queue.all(G)).items.map((i) => i.track.title)).toEqual(['A']);
    expect(player.state(G).kind).toBe('idle');
  });
});
