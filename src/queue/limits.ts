import type { AddLimits } from '../storage/queue/store.ts';

/**
 * A guild's queue limits: its own settings where it has them, never above the operator's
 * (QUEUE_MAX_LENGTH, QUEUE_MAX_PER_USER).
 */
export function guildQueueLimits(
  settings: {
    get(
      guildId: string,
    ): Promise<{ maxQueueLength: number | null; maxPerUser: number | null; queueOrder?: 'votes' | 'fair' }>;
  },
  operator: AddLimits,
): (guildId: string) => Promise<AddLimits> {
  return async (guildId) => {
    const s = await settings.get(guildId);
    return {
      maxLength: Math.min(s.maxQueueLength ?? operator.maxLength, operator.maxLength),
      maxPerUser: Math.min(s.maxPerUser ?? operator.maxPerUser, operator.maxPerUser),
      order: s.queueOrder ?? 'votes',
    };
  };
}
