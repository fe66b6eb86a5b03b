import type { Client, MessageEditOptions } from 'discord.js';
import type { EventBus } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import type { QueueItem } from '../core/track.ts';
import type { QueueEvent } from '../queue/events.ts';
import type { QueueService } from '../queue/service.ts';
import { queueComponents } from './components.ts';
import { queueEmbed, trackLine, votes } from './format.ts';
import { DOWN, UP } from './reactions.ts';

const FLUSH_DELAY_MS = 1_500;
const MAX_TRACK_EDITS = 10;

interface MessageRef {
  channelId: string;
  messageId: string;
}

/** The text of a track's public message; kept current as votes move the song. */
export function trackMessage(item: QueueItem): string {
  const where =
    item.status === 'queued'
      ? `#${item.position} · ${votes(item.votes)} votes · react ${UP} or ${DOWN} to vote`
      : item.status === 'playing'
        ? 'now playing'
        : item.status;
  return `Queued ${trackLine(item)} — ${where}.`;
}

/**
 * Keeps the bot's queue messages current: after a change, waits a moment so that a burst of votes
 * becomes one edit per message (Discord rate-limits edits), then edits the latest /queue message of
 * the guild and the track messages whose position or votes changed.
 */
export class QueueMessages {
  private readonly client: Client;
  private readonly queue: QueueService;
  private readonly logger: Logger;
  private readonly queueMessage = new Map<string, MessageRef & { page: number }>();
  private readonly trackMessages = new Map<string, Map<string, MessageRef & { shown: string }>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(client: Client, queue: QueueService, bus: EventBus<QueueEvent>, logger: Logger) {
    this.client = client;
    this.queue = queue;
    this.logger = logger;
    bus.subscribe((event) => {
      if (event.type === 'queue.updated') this.schedule(event.guildId);
    });
  }

  watchQueueMessage(guildId: string, ref: MessageRef, page: number): void {
    this.queueMessage.set(guildId, { ...ref, page });
  }

  watchTrackMessage(guildId: string, itemId: string, ref: MessageRef, shown: string): void {
    let guild = this.trackMessages.get(guildId);
    if (!guild) {
      guild = new Map();
      this.trackMessages.set(guildId, guild);
    }
    if (!guild.has(itemId)) guild.set(itemId, { ...ref, shown });
    this.schedule(guildId);
  }

  private schedule(guildId: string): void {
    if (this.timers.has(guildId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(guildId);
      this.flush(guildId).catch((err) =>
        this.logger.warn({ err, guildId }, 'updating queue messages failed'),
      );
    }, FLUSH_DELAY_MS);
    timer.unref();
    this.timers.set(guildId, timer);
  }

  /** Edits what changed; also called directly by tests through the scheduling above. */
  async flush(guildId: string): Promise<void> {
    const queued = this.queueMessage.get(guildId);
    if (queued) {
      const page = await this.queue.list(guildId, queued.page, 10);
      await this.edit(queued, { embeds: [queueEmbed(page)], components: queueComponents(page.items) });
    }
    const tracks = this.trackMessages.get(guildId);
    if (!tracks || tracks.size === 0) return;
    const { items, playing } = await this.queue.all(guildId);
    const current = new Map(items.map((i) => [i.id, i]));
    if (playing) current.set(playing.id, playing);
    let edits = 0;
    for (const [itemId, ref] of tracks) {
      const item = current.get(itemId);
      if (!item) {
        tracks.delete(itemId); // played, skipped or removed: leave its message as it was
        continue;
      }
      const text = trackMessage(item);
      if (text === ref.shown || edits >= MAX_TRACK_EDITS) continue;
      edits += 1;
      ref.shown = text;
      await this.edit(ref, { content: text });
    }
  }

  private async edit(ref: MessageRef, body: MessageEditOptions): Promise<void> {
    const channel = this.client.channels.cache.get(ref.channelId);
    if (!channel?.isTextBased()) return;
    await channel.messages.edit(ref.messageId, body);
  }
}
