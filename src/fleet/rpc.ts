import { randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import { isUserError, UserError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { type RedisConnection, whenConnected } from '../storage/queue/redis-client.ts';
import { shardOf } from './shards.ts';

/** What an API process asks the guild's owner to do: one action, with the call and its input. */
export interface FleetRequest {
  id: string;
  replyTo: string;
  guildId: string;
  /** The action's name, e.g. `playback.skip`. */
  action: string;
  /** The actor, as the front end described it. */
  actor: unknown;
  input: unknown;
}

type FleetReply =
  /** The owner has the request and is running it. */
  | { id: string; ack: true }
  | { id: string; ok: true; value: unknown }
  | { id: string; ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

export interface FleetRpcOptions {
  redis: RedisConnection;
  /** Keys and channels live under `${namespace}:fleet:`. */
  namespace: string;
  logger: Logger;
  /** How long a caller waits for the owner to take the request (ms): 2 s. */
  timeoutMs?: number;
  /** How long a caller waits for the answer once the owner has taken the request (ms): 30 s. */
  answerTimeoutMs?: number;
}

const WIRE_VERSION = 1;
const DEFAULT_TIMEOUT_MS = 2_000;
const DEFAULT_ANSWER_TIMEOUT_MS = 30_000;

/**
 * Why a request got no answer: nobody subscribes to the shard (the request certainly did not run),
 * or it was not taken in time, or Redis refused it (it may or may not have run).
 */
export type UnavailableReason = 'no-owner' | 'no-ack' | 'no-answer' | 'redis';
/** Seconds a caller is told to wait before retrying when no owner answered. */
export const BOT_UNAVAILABLE_RETRY_S = 5;

/** The refusal when no process answers for a guild: 503 with Retry-After on the REST API. */
export function botUnavailable(reason: string, why: UnavailableReason = 'no-answer'): UserError {
  return new UserError(
    'BOT_UNAVAILABLE',
    `The bot process that plays in this server is not answering (${reason}). Try again in a few seconds.`,
    { retry_after_seconds: BOT_UNAVAILABLE_RETRY_S, reason: why },
  );
}

/**
 * Request and response between the processes of a fleet, over Redis sharded pub/sub: a request for a
 * guild goes to the channel of the guild's Discord shard (`{shard-N}`, one cluster slot), which only
 * the process running that shard subscribes to; the owner acknowledges it at once and answers when
 * done, on the caller's own channel. A request nobody receives (the owner is down) fails at once; one
 * not acknowledged within `timeoutMs` (2 s; the owner hangs) or not answered within `answerTimeoutMs`
 * fails then. Either way the caller gets `BOT_UNAVAILABLE` with the reason, never a guess.
 */
export class FleetRpc {
  readonly processId = randomBytes(8).toString('hex');
  private readonly redis: RedisConnection;
  private readonly subscriber: RedisConnection;
  private readonly prefix: string;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly answerTimeoutMs: number;
  private readonly pending = new Map<
    string,
    { resolve: (value: unknown) => void; reject: (err: Error) => void; timer: NodeJS.Timeout }
  >();
  private handler: ((request: FleetRequest) => Promise<unknown>) | null = null;
  private readonly served = new Set<string>();
  private started: Promise<void> | null = null;

  constructor(options: FleetRpcOptions) {
    this.redis = options.redis;
    this.prefix = `${options.namespace}:fleet`;
    this.logger = options.logger;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.answerTimeoutMs = options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
    this.subscriber = subscriberFor(options.redis);
    this.subscriber.on('error', (err: Error) =>
      this.logger.debug({ err: err.message }, 'fleet subscriber error'),
    );
    this.subscriber.on('smessage', (channel: string, raw: string) => this.receive(channel, raw));
  }

  private get replyChannel(): string {
    return `${this.prefix}:{reply-${this.processId}}`;
  }

  private shardChannel(shardId: number): string {
    return `${this.prefix}:{shard-${shardId}}`;
  }

  private get registryKey(): string {
    return `${this.prefix}:shards`;
  }

  /** Subscribes this process's reply channel; call before the first `call`. */
  start(): Promise<void> {
    this.started ??= whenConnected(this.subscriber)
      .then(() => this.subscriber.ssubscribe(this.replyChannel))
      .then(() => undefined);
    return this.started;
  }

  /**
   * Answers requests for the guilds of `shardIds` with `handler` (a bot process), and records the
   * fleet's shard count, so that API processes know where a guild lives.
   */
  async serve(
    shardCount: number,
    shardIds: readonly number[],
    handler: (request: FleetRequest) => Promise<unknown>,
  ): Promise<void> {
    this.handler = handler;
    await this.start();
    const channels = shardIds.map((id) => this.shardChannel(id));
    for (const channel of channels) this.served.add(channel);
    // One SSUBSCRIBE per channel: on a cluster the channels of different shards live in different slots.
    await Promise.all(channels.map((channel) => this.subscriber.ssubscribe(channel)));
    await this.redis.set(this.registryKey, JSON.stringify({ shardCount }));
  }

  /** The fleet's shard count as its bot processes recorded it, or null when no bot ever ran. */
  async shardCount(): Promise<number | null> {
    const raw = await this.redis.get(this.registryKey);
    if (!raw) return null;
    const count = (JSON.parse(raw) as { shardCount?: unknown }).shardCount;
    return typeof count === 'number' && Number.isInteger(count) && count > 0 ? count : null;
  }

  /**
   * Runs `action` in the process that owns `guildId` and returns its result; a `UserError` there is
   * thrown here with the same code and text. @throws UserError BOT_UNAVAILABLE
   */
  async call(
    shardCount: number,
    guildId: string,
    action: string,
    actor: unknown,
    input: unknown,
  ): Promise<unknown> {
    await this.start();
    const request: FleetRequest = {
      id: randomBytes(12).toString('hex'),
      replyTo: this.replyChannel,
      guildId,
      action,
      actor,
      input,
    };
    const answer = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(request.id);
        reject(botUnavailable(`it did not take the request within ${this.timeoutMs / 1000} s`, 'no-ack'));
      }, this.timeoutMs);
      this.pending.set(request.id, { resolve, reject, timer });
    });
    let receivers: unknown;
    try {
      receivers = await this.redis.spublish(
        this.shardChannel(shardOf(guildId, shardCount)),
        JSON.stringify({ v: WIRE_VERSION, ...request }),
      );
    } catch (err) {
      this.settle(request.id, {
        id: request.id,
        ok: false,
        error: unavailable('Redis is not reachable', 'redis'),
      });
      this.logger.warn({ err: (err as Error).message, guildId, action }, 'fleet request not sent');
      return answer;
    }
    if (Number(receivers) === 0) {
      this.settle(request.id, {
        id: request.id,
        ok: false,
        error: unavailable('no process runs its shard', 'no-owner'),
      });
    }
    return answer;
  }

  /** Stops answering and waiting: requests sent after this find no receiver here. */
  async close(): Promise<void> {
    this.handler = null;
    this.served.clear();
    for (const [id, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(botUnavailable('this process is shutting down'));
      this.pending.delete(id);
    }
    // QUIT, not a dropped socket: Redis forgets the subscriptions before this resolves.
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  private receive(channel: string, raw: string): void {
    let message: { v?: unknown } & Record<string, unknown>;
    try {
      message = JSON.parse(raw);
    } catch {
      this.logger.warn({ channel }, 'fleet message is not JSON; dropped');
      return;
    }
    if (message.v !== WIRE_VERSION) return;
    if (channel === this.replyChannel) this.settle(String(message.id), message as unknown as FleetReply);
    else if (this.served.has(channel)) void this.answer(message as unknown as FleetRequest);
  }

  private settle(id: string, reply: FleetReply): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    if ('ack' in reply) {
      // Taken: now wait for the answer, as long as an action may take (a voice join, a playlist).
      clearTimeout(entry.timer);
      entry.timer = setTimeout(() => {
        this.pending.delete(id);
        entry.reject(botUnavailable(`no answer within ${this.answerTimeoutMs / 1000} s`, 'no-answer'));
      }, this.answerTimeoutMs);
      return;
    }
    this.pending.delete(id);
    clearTimeout(entry.timer);
    if (reply.ok) entry.resolve(reply.value);
    else
      entry.reject(
        new UserError(
          reply.error.code as ConstructorParameters<typeof UserError>[0],
          reply.error.message,
          reply.error.details,
        ),
      );
  }

  private async answer(request: FleetRequest): Promise<void> {
    const handler = this.handler;
    if (!handler || typeof request.replyTo !== 'string' || typeof request.id !== 'string') return;
    const send = (reply: FleetReply) =>
      this.redis
        .spublish(request.replyTo, JSON.stringify({ v: WIRE_VERSION, ...reply }))
        .catch((err: Error) => this.logger.warn({ err: err.message }, 'fleet reply not sent'));
    void send({ id: request.id, ack: true });
    let reply: FleetReply;
    try {
      reply = { id: request.id, ok: true, value: await handler(request) };
    } catch (err) {
      if (isUserError(err)) {
        reply = {
          id: request.id,
          ok: false,
          error: { code: err.code, message: err.message, details: err.details },
        };
      } else {
        this.logger.error({ err, guildId: request.guildId, action: request.action }, 'fleet request failed');
        reply = {
          id: request.id,
          ok: false,
          error: {
            code: 'UPSTREAM_ERROR',
            message: 'The bot process failed to do that; it has been logged.',
          },
        };
      }
    }
    await send(reply);
  }
}

function unavailable(
  reason: string,
  why: UnavailableReason,
): { code: string; message: string; details: Record<string, unknown> } {
  const err = botUnavailable(reason, why);
  return { code: err.code, message: err.message, details: err.details ?? {} };
}

/**
 * A connection that may subscribe (a subscribed connection can do nothing else): a duplicate of a
 * single Redis, or a cluster client whose sharded subscriptions go to each channel's own node.
 */
function subscriberFor(redis: RedisConnection): RedisConnection {
  if (redis instanceof Cluster) {
    return redis.duplicate([], { shardedSubscribers: true, redisOptions: { enableOfflineQueue: true } });
  }
  return redis.duplicate({ enableOfflineQueue: true, autoResubscribe: true });
}
