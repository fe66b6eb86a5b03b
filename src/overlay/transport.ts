import type { Redis } from 'ioredis';
import type { Logger } from '../core/logger.ts';
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
 * Carries live messages to every hub, this process's included. With Redis, an overlay connected to
 * instance A sees what changed through instance B; without it, a process talks to itself.
 */
export interface LiveTransport {
  publish(message: LiveMessage): void;
  /** Returns a function that unsubscribes. */
  subscribe(handler: (message: LiveMessage) => void): () => void;
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

  async close(): Promise<void> {
    this.handlers.clear();
  }
}

export interface RedisTransportOptions {
  /** Used to publish; a duplicate of it subscribes (a subscribed connection can do nothing else). */
  redis: Redis;
  /** One channel per namespace: `${namespace}:overlay`. */
  namespace: string;
  logger: Logger;
}

const WIRE_VERSION = 1;

/**
 * Redis pub/sub, one channel for every guild of a namespace; each message names its guild. A message
 * published while Redis is down is lost (logged): an overlay is live, not a log, and the next change
 * or reconnect brings it up to date.
 */
export class RedisTransport implements LiveTransport {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly channel: string;
  private readonly logger: Logger;
  private readonly handlers = new Set<(message: LiveMessage) => void>();
  private readonly ready: Promise<void>;

  constructor(options: RedisTransportOptions) {
    this.publisher = options.redis;
    this.channel = `${options.namespace}:overlay`;
    this.logger = options.logger;
    // The subscriber may queue its SUBSCRIBE until it connects, whatever the publisher's options.
    this.subscriber = options.redis.duplicate({ enableOfflineQueue: true, autoResubscribe: true });
    this.subscriber.on('error', (err) => this.logger.debug({ err: err.message }, 'overlay subscriber error'));
    this.subscriber.on('message', (channel: string, raw: string) => {
      if (channel === this.channel) this.receive(raw);
    });
    this.ready = this.subscriber.subscribe(this.channel).then(
      () => undefined,
      (err) => this.logger.warn({ err }, 'overlay subscribe failed'),
    );
  }

  /** Resolves once the channel is subscribed (tests wait for it before publishing). */
  whenReady(): Promise<void> {
    return this.ready;
  }

  publish(message: LiveMessage): void {
    const raw = JSON.stringify({ v: WIRE_VERSION, ...message });
    this.publisher.publish(this.channel, raw).catch((err) => {
      this.logger.warn({ err: err.message, guildId: message.guildId }, 'overlay event not published');
    });
  }

  subscribe(handler: (message: LiveMessage) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.subscriber.disconnect();
  }

  private receive(raw: string): void {
    let message: LiveMessage & { v?: unknown };
    try {
      message = JSON.parse(raw);
    } catch {
      this.logger.warn('overlay message is not JSON; dropped');
      return;
    }
    // A newer instance may speak a newer version during a rolling deploy: skip what we cannot read.
    if (message.v !== WIRE_VERSION || typeof message.guildId !== 'string') return;
    for (const handler of this.handlers) handler(message);
  }
}
