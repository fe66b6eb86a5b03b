import type { QueueItem } from '../core/track.ts';

/** What the queue service publishes after each change (wire names are versioned in the overlay). */
export type QueueEvent =
  | { type: 'item.added'; guildId: string; item: QueueItem; position: number }
  | {
      type: 'item.voted';
      guildId: string;
      itemId: string;
      userId: string;
      votes: number;
      position: number;
      previousPosition: number;
    }
  | { type: 'item.removed'; guildId: string; item: QueueItem }
  | { type: 'item.started'; guildId: string; item: QueueItem }
  | { type: 'item.finished'; guildId: string; item: QueueItem }
  | { type: 'queue.updated'; guildId: string; reason: QueueChange };

export type QueueChange = 'add' | 'vote' | 'remove' | 'clear' | 'move' | 'shuffle' | 'start' | 'finish';
