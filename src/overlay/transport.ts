import { Cluster } from 'ioredis';
import type { Logger } from '../core/logger.ts';
import { type RedisConnection, whenConnected } from '../storage/queue/redis-client.ts';
import type { BroadcastEvent } from './events.ts';

/**
 * What crosses instances. A queue change carries no data: each instance with overlays open for the
 * guild reads the queue itself (it is shared in Redis), so that guilds nobody watches cost nothing.
 */
export type LiveMessage =
  | { kind: 'event'; guildId: string; event: BroadcastEvent }
  | { kind: 'queue_changed'; guildId: string }
  | { kind: 'key_rotated'; guildId: string };

/**
 * Carries live messages to every hub that watches the guild, this process's included. With Redis, an
 * overlay connected to instance A sees what changed through instance B; without it, a process talks
 * to itself.
 */
export interface LiveTransport {
  publish(message: LiveMessage): void;
  /** Returns a function that unsubscribes. */
  subscribe(handler: (message: LiveMessage) => void): () => void;
  /**
   * Starts receiving the guild's messages (reference-counted: once per open page is fine); resolves
   * when they arrive, so a page's snapshot sent after it misses nothing.
   */
  watch(guildId: string): Promise<void>;
  /** The matching end of one `watch`; resolves when the guild's messages have stopped, if they did. */
  unwatch(guildId: string): Promise<void>;
  close(): Promise<void>;
}

/** One process: messages go straight to the subscribers, after the current task. */
export class MemoryTransport implements LiveTransport {
  private readonly handlers = new Set<(message: LiveMessage) => void>();

  publish(message: LiveMessage): void {
    // Deliver asynchronously, as Redis does, so that a publisher never re-enters its own handler.
    queueMicrotask(() => {
      for (const handler of this.handlers) handler(message);
    });
  }

  subscribe(handler: (message: LiveMessage) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async watch(): Promise<void> {}

  async unwatch(): Promise<void> {}

  async close(): Promise<void> {
    this.handlers.clear();
  }
}

export interface RedisTransportOptions {
  /** Used to publish; a subscriber connection is made from it (a subscribed connection can do nothing else). */
  redis: RedisConnection;
  /** Channels are `${namespace}:overlay:{<guild id>}`. */
  namespace: string;
  logger: Logger;
}

const WIRE_VERSION = 1;

/**
 * Redis sharded pub/sub (SPUBLISH/SSUBSCRIBE), one channel per guild, in the guild's own hash slot: on a
 * Redis Cluster a message goes only to the node that holds the guild, and an instance subscribes only
 * to the guilds it has pages open for. A message published while Redis is down is lost (logged): an
 * overlay is live, not a log, and the next change or reconnect brings it up to date.
 */
export class RedisTransport implements LiveTransport {
  private readonly publisher: RedisConnection;
  private readonly subscriber: RedisConnection;
  private readonly prefix: string;
  private readonly logger: Logger;
  private readonly handlers = new Set<(message: LiveMessage) => void>();
  private readonly watched = new Map<string, { count: number; ready: Promise<void> }>();

  constructor(options: RedisTransportOptions) {
    this.publisher = options.redis;
    this.prefix = `${options.namespace}:overlay`;
    this.logger = options.logger;
    // The subscriber may queue its SSUBSCRIBE until it connects, whatever the publisher's options.
    this.subscriber =
      options.redis instanceof Cluster
        ? options.redis.duplicate([], {
            shardedSubscribers: true,
            redisOptions: { enableOfflineQueue: true },
          })
        : options.redis.duplicate({ enableOfflineQueue: true, autoResubscribe: true });
    this.subscriber.on('error', (err: Error) =>
      this.logger.debug({ err: err.message }, 'overlay subscriber error'),
    );
    this.subscriber.on('smessage', (channel: string, raw: string) => this.receive(channel, raw));
  }

  private channel(guildId: string): string {
    return `${this.prefix}:{${guildId}}`;
  }

  publish(message: LiveMessage): void {
    const raw = JSON.stringify({ v: WIRE_VERSION, ...message });
    this.publisher.spublish(this.channel(message.guildId), raw).catch((err: Error) => {
      this.logger.warn({ err: err.message, guildId: message.guildId }, 'overlay event not published');
    });
  }

  subscribe(handler: (message: LiveMessage) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  watch(guildId: string): Promise<void> {
    const entry = this.watched.get(guildId);
    if (entry) {
      entry.count += 1;
      return entry.ready;
    }
    const ready = whenConnected(this.subscriber)
      .then(() => this.subscriber.ssubscribe(this.channel(guildId)))
      .then(
        () => undefined,
        (err: Error) => this.logger.warn({ err: err.message, guildId }, 'overlay subscribe failed'),
      );
    this.watched.set(guildId, { count: 1, ready });
    return ready;
  }

  async unwatch(guildId: string): Promise<void> {
    const entry = this.watched.get(guildId);
    if (!entry) return;
    entry.count -= 1;
    if (entry.count > 0) return;
    this.watched.delete(guildId);
    await this.subscriber.sunsubscribe(this.channel(guildId)).catch(() => {});
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.watched.clear();
    this.subscriber.disconnect();
  }

  private receive(channel: string, raw: string): void {
    let message: LiveMessage & { v?: unknown };
    try {
      message = JSON.parse(raw);
    } catch {
      this.logger.warn('overlay message is not JSON; dropped');
      return;
    }
    // A newer instance may speak a newer version during a rolling deploy: skip what we cannot read.
    if (message.v !== WIRE_VERSION || typeof message.guildId !== 'string') return;
    if (channel !== this.channel(message.guildId)) return;
    for (const handler of this.handlers) handler(message);
  }
}
