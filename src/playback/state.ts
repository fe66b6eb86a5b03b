import type { QueueItem } from '../core/track.ts';

/** A guild's player. Transitions happen only in `Transitions.to` (transitions.ts). */
export type PlayerState =
  | { kind: 'idle' }
  | { kind: 'connecting'; channelId: string }
  | { kind: 'starting'; channelId: string; item: QueueItem }
  | { kind: 'playing'; channelId: string; item: QueueItem; startedAt: number; offsetMs: number }
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

/** Where in the track the player is, in milliseconds. */
export function positionOf(state: PlayerState, now: number): number | null {
  if (state.kind === 'playing') return state.offsetMs + (now - state.startedAt);
  if (state.kind === 'paused') return state.positionMs;
  return null;
}
