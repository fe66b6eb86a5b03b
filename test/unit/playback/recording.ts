import { PassThrough } from 'node:stream';
import { UserError } from '../../../src/core/errors.ts';
import type { PlayableStream, StreamSource, VoicePort, VoiceSession } from '../../../src/playback/ports.ts';
import type { Track } from '../../../src/queue/track.ts';
import { snowflake } from '../../support/tracks.ts';

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
  async play(source: PlayableStream): Promise<void> {
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
