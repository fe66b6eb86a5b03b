import { PassThrough } from 'node:stream';
import { ManualClock } from '../../../src/core/clock.ts';
import { UserError } from '../../../src/core/errors.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { Track } from '../../../src/core/track.ts';
import { MusicPlayer, type PlayerEvent } from '../../../src/playback/player.ts';
import type { PlayableStream, StreamSource, VoicePort, VoiceSession } from '../../../src/playback/ports.ts';
import type { QueueEvent } from '../../../src/queue/events.ts';
import { QueueService } from '../../../src/queue/service.ts';
import { MemoryQueueStore } from '../../../src/storage/queue/memory-store.ts';
import { snowflake } from '../../support/tracks.ts';
import { nextEvent } from '../../support/wait.ts';

const ALICE = snowflake(2);
const BOB = snowflake(3);
const CAROL = snowflake(4);

/** A voice session that records what the player asked of it. */
export class RecordingSession implements VoiceSession {
  readonly channelId: string;
  played: string[] = [];
  paused = false;
  leftChannel = false;
  members: string[] = [ALICE, BOB, CAROL];
  private end: (reason: 'finished' | 'error', error?: Error) => void = () => {};
  private goneHandler: (reason: string) => void = () => {};
  private aloneHandler: () => void = () => {};
  constructor(channelId: string) {
    this.channelId = channelId;
  }
  seeks: number[] = [];
  volumes: number[] = [];
  /** The ffmpeg filter graph each source was opened with (null: none). */
  filters: (string | null)[] = [];
  async play(source: PlayableStream): Promise<void> {
    this.filters.push(source.filter ?? null);
    this.played.push((source as PlayableStream & { title: string }).title);
    this.seeks.push(source.seekMs ?? 0);
    this.volumes.push(source.volume ?? 100);
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  stopTrack(): void {}
  leave(): void {
    this.leftChannel = true;
  }
  listeners(): string[] {
    return this.members;
  }
  onTrackEnd(handler: (reason: 'finished' | 'error', error?: Error) => void): void {
    this.end = handler;
  }
  onGone(handler: (reason: string) => void): void {
    this.goneHandler = handler;
  }
  onAlone(handler: () => void): void {
    this.aloneHandler = handler;
  }
  everyoneLeaves(): void {
    this.members = [];
    this.aloneHandler();
  }
  finishTrack(): void {
    this.end('finished');
  }
  disconnect(): void {
    this.goneHandler('kicked');
  }
}

export class RecordingVoice implements VoicePort {
  sessions: RecordingSession[] = [];
  async join(_guildId: string, channelId: string): Promise<VoiceSession> {
    const s = new RecordingSession(channelId);
    this.sessions.push(s);
    return s;
  }
}

export class TitleStreams implements StreamSource {
  closed = 0;
  failing = new Set<string>();
  async open(t: Track): Promise<PlayableStream> {
    if (this.failing.has(t.title)) throw new UserError('UNAVAILABLE', `${t.title} is unavailable`);
    return Object.assign(
      {
        stream: new PassThrough(),
        type: 'ogg/opus' as const,
        live: false,
        close: () => {
          this.closed += 1;
        },
      },
      { title: t.title },
    );
  }
}

/** A queue in memory and a player on recording fakes, as the player tests use them. */
export function playerWorld<V extends VoicePort = RecordingVoice, S extends StreamSource = TitleStreams>(
  options: {
    voice?: V;
    streams?: S;
    idleTimeoutMs?: number;
    stayInVoice?: () => boolean;
    defaultVolume?: () => number;
  } = {},
) {
  const clock = new ManualClock();
  const queue = new QueueService({
    store: new MemoryQueueStore({ ttlSeconds: 3600, historyLimit: 50, clock }),
    bus: new InMemoryEventBus<QueueEvent>(),
    clock,
    limits: () => ({ maxLength: 100, maxPerUser: 100 }),
  });
  const voice = options.voice ?? (new RecordingVoice() as unknown as V);
  const streams = options.streams ?? (new TitleStreams() as unknown as S);
  const events: PlayerEvent[] = [];
  const bus = new InMemoryEventBus<PlayerEvent>();
  bus.subscribe((e) => events.push(e));
  const defaultVolume = options.defaultVolume;
  const player = new MusicPlayer({
    queue,
    voice,
    streams,
    clock,
    logger: silentLogger(),
    bus,
    idleTimeoutMs: options.idleTimeoutMs ?? 300_000,
    stayInVoice: async () => options.stayInVoice?.() ?? false,
    ...(defaultVolume ? { defaultVolume: async () => defaultVolume() } : {}),
  });
  /** The event that says the player has moved on: the next song plays, or there is none. */
  const movedOn = (what: string) =>
    nextEvent(bus, (e) => e.type === 'player.now_playing' || e.type === 'player.idle', { what });
  /**
   * Ends the playing song in the newest voice session and resolves once the player has handled it:
   * with its `now_playing` (the next song, or the same one looping) or `idle` event.
   */
  const finishTrack = (): Promise<PlayerEvent> => {
    const moved = movedOn('the player to move on after the song ended');
    const session = (voice as unknown as RecordingVoice).sessions.at(-1);
    if (!session) throw new Error('no voice session to end a song in');
    session.finishTrack();
    return moved;
  };
  return { clock, queue, voice, streams, player, events, bus, finishTrack };
}
