import { type Client, type MessageEditOptions, Routes } from 'discord.js';
import type { EventBus } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import type { QueueItem } from '../core/track.ts';
import type { QueueEvent } from '../queue/events.ts';
import type { QueueService } from '../queue/service.ts';
import type { MessageRef } from './command.ts';
import { queueComponents } from './components.ts';
import type { EditPacer } from './edit-pacer.ts';
import { queueEmbed, trackLine, votes } from './format.ts';
import { DOWN, UP } from './reactions.ts';

/** A short wait after a change, so that votes arriving together are read once. */
const COALESCE_MS = 200;
/** Edit priorities: the /queue message first, then messages whose position changed, then the rest. */
const PRIORITY = { queue: 0, moved: 1, other: 2 } as const;

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

interface Watched extends MessageRef {
  shown: string;
  position: number | null;
}

/**
 * Keeps the bot's queue messages current. Shortly after a change it reads the queue once and hands the
 * edits to the pacer (src/discord/edit-pacer.ts), which sends them as fast as Discord's buckets allow,
 * the /queue message first; an edit still waiting is replaced by the newer text, so after a burst of
 * votes every message shows the latest positions within about a second of the pacing step.
 */
export class QueueMessages {
  private readonly client: Client;
  private readonly queue: QueueService;
  private readonly pacer: EditPacer;
  private readonly logger: Logger;
  private readonly queueMessage = new Map<string, MessageRef & { page: number }>();
  private readonly trackMessages = new Map<string, Map<string, Watched>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    client: Client,
    queue: QueueService,
    bus: EventBus<QueueEvent>,
    pacer: EditPacer,
    logger: Logger,
  ) {
    this.client = client;
    this.queue = queue;
    this.pacer = pacer;
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
    if (!guild.has(itemId)) guild.set(itemId, { ...ref, shown, position: null });
    this.schedule(guildId);
  }

  private schedule(guildId: string): void {
    if (this.timers.has(guildId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(guildId);
      // One refresh at a time per guild; a change during it schedules the next one.
      const before = this.running.get(guildId) ?? Promise.resolve();
      const run = before
        .then(() => this.flush(guildId))
        .catch((err) => this.logger.warn({ err, guildId }, 'updating queue messages failed'))
        .finally(() => {
          if (this.running.get(guildId) === run) this.running.delete(guildId);
        });
      this.running.set(guildId, run);
    }, COALESCE_MS);
    timer.unref();
    this.timers.set(guildId, timer);
  }

  /** Reads the queue and hands the pacer an edit for every message whose text changed. */
  async flush(guildId: string): Promise<void> {
    const queued = this.queueMessage.get(guildId);
    if (queued) {
      const page = await this.queue.list(guildId, queued.page, 10);
      this.edit(queued, `queue:${queued.messageId}`, PRIORITY.queue, {
        embeds: [queueEmbed(page)],
        components: queueComponents(page.items),
      });
    }
    const tracks = this.trackMessages.get(guildId);
    if (!tracks || tracks.size === 0) return;
    const { items, playing } = await this.queue.all(guildId);
    const current = new Map(items.map((i) => [i.id, i]));
    if (playing) current.set(playing.id, playing);
    for (const [itemId, ref] of tracks) {
      const item = current.get(itemId);
      if (!item) {
        tracks.delete(itemId); // played, skipped or removed: leave its message as it was
        continue;
      }
      const text = trackMessage(item);
      if (text === ref.shown) continue;
      const moved = item.position !== ref.position;
      ref.shown = text;
      ref.position = item.position;
      this.edit(ref, `track:${ref.messageId}`, moved ? PRIORITY.moved : PRIORITY.other, { content: text });
    }
  }

  /**
   * Through the interaction's webhook while its token is valid (each token is a bucket of its own),
   * else through the channel (one bucket for the channel's messages).
   */
  private edit(ref: MessageRef, key: string, priority: number, body: MessageEditOptions): void {
    const webhook = ref.webhook && ref.webhook.until > Date.now() ? ref.webhook : null;
    const bucket = webhook ? `webhook:${webhook.token}` : `channel:${ref.channelId}`;
    this.pacer.submit(bucket, key, priority, async () => {
      if (webhook && this.client.application) {
        const json = {
          ...(body.content !== undefined ? { content: body.content } : {}),
          ...(body.embeds ? { embeds: body.embeds.map((e) => ('toJSON' in e ? e.toJSON() : e)) } : {}),
          ...(body.components
            ? { components: body.components.map((c) => ('toJSON' in c ? c.toJSON() : c)) }
            : {}),
        };
        await this.client.rest.patch(Routes.webhookMessage(this.client.application.id, webhook.token), {
          body: json,
          auth: false,
        });
        return;
      }
      const channel = this.client.channels.cache.get(ref.channelId);
      if (!channel?.isTextBased()) return;
      await channel.messages.edit(ref.messageId, body);
    });
  }
}
