import type { Clock } from '../core/clock.ts';
import type { EventBus } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import type { QueueItem } from '../core/track.ts';
import type { QueueService } from '../queue/service.ts';
import type { StreamSource, VoicePort } from './ports.ts';

export type SkipOutcome =
  | { skipped: true; item: QueueItem }
  | { skipped: false; item: QueueItem; count: number; needed: number; counted: boolean };

export type PlayerEvent =
  | { type: 'player.now_playing'; guildId: string; item: QueueItem }
  | { type: 'player.paused' | 'player.resumed'; guildId: string; item: QueueItem; positionMs: number }
  | { type: 'player.idle'; guildId: string; reason: 'queue_empty' | 'stopped' | 'disconnected' }
  | { type: 'player.track_failed'; guildId: string; item: QueueItem; message: string };

export interface MusicPlayerDeps {
  queue: QueueService;
  voice: VoicePort;
  streams: StreamSource;
  clock: Clock;
  logger: Logger;
  bus: EventBus<PlayerEvent>;
  /** Leave the channel after this long with nothing to play (unless the guild is 24/7). */
  idleTimeoutMs: number;
  /** Whether a guild stays in voice with nothing to play (24/7, a guild setting). */
  stayInVoice(guildId: string): Promise<boolean>;
  /** The guild's default volume, 0..100 (a guild setting); 100 when left out. */
  defaultVolume?(guildId: string): Promise<number>;
}

/** off: play each song once; track: repeat the playing song; queue: re-queue each song after it plays. */
export type LoopMode = 'off' | 'track' | 'queue';

/** Someone else's audio in the guild's voice session, told when it ends or the session goes. */
export interface ExternalAudio {
  /** The source ended or failed; the owner may play again (`playExternal`). */
  onEnd(reason: 'finished' | 'error', error?: Error): void;
  /** The voice session is gone (left, kicked, everyone left). */
  onGone(reason: string): void;
}
