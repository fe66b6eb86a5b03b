import type { QueueItem } from '../core/track.ts';
import { songPosition } from './filters.ts';

/** A guild's player. Transitions happen only in `Transitions.to` (transitions.ts). */
export type PlayerState =
  | { kind: 'idle' }
  | { kind: 'connecting'; channelId: string }
  | { kind: 'starting'; channelId: string; item: QueueItem }
  | {
      kind: 'playing';
      channelId: string;
      item: QueueItem;
      startedAt: number;
      offsetMs: number;
      /** How fast the song plays under the guild's filter (nightcore ×1.25); 1 when left out. */
      speed?: number;
    }
  | { kind: 'paused'; channelId: string; item: QueueItem; positionMs: number };

export type PlayerStateKind = PlayerState['kind'];

/** Which state may follow which; anything else is a bug and throws. */
export const TRANSITIONS: Record<PlayerStateKind, readonly PlayerStateKind[]> = {
  idle: ['connecting', 'starting', 'idle'],
  connecting: ['starting', 'idle'],
  starting: ['playing', 'idle', 'starting'],
  playing: ['paused', 'starting', 'idle'],
  paused: ['playing', 'starting', 'idle'],
};

/** Where in the track the player is, in milliseconds of the song (a sped-up song advances faster). */
export function positionOf(state: PlayerState, now: number): number | null {
  if (state.kind === 'playing') return songPosition(state.offsetMs, now - state.startedAt, state.speed ?? 1);
  if (state.kind === 'paused') return state.positionMs;
  return null;
}
