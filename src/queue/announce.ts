import type { EventBus } from '../core/events.ts';
import type { QueueChange, QueueEvent } from './events.ts';

/**
 * Publishes what changed in a guild's queue: the item event (when the change has one), then
 * `queue.updated` with the reason, which the overlay and the Discord queue messages refresh on.
 */
export function announce(
  bus: Pick<EventBus<QueueEvent>, 'publish'>,
  event: QueueEvent | null,
  reason: QueueChange,
  guildId = event?.guildId,
): void {
  if (event) bus.publish(event);
  if (guildId) bus.publish({ type: 'queue.updated', guildId, reason });
}
