import type { Logger } from '../core/logger.ts';

/** What the pacer needs of discord.js's REST manager: its `response` event, with the request's path. */
export interface RestEvents {
  on(
    event: 'response',
    listener: (request: { method: string; path: string }, response: { headers: Headers }) => void,
  ): unknown;
}

interface Bucket {
  /** When the next request may go, spreading what is left of the bucket evenly up to its reset. */
  nextAt: number;
  busy: boolean;
  pending: Map<string, { priority: number; send: () => Promise<void> }>;
  timer: NodeJS.Timeout | null;
}

/** A little past Discord's reset, as discord.js waits (its default `offset`). */
const RESET_MARGIN_MS = 60;

/**
 * The bucket a message edit (or reaction) is limited by, as Discord's major parameter sets it: the
 * channel for `PATCH /channels/:channel/messages/:id` and for adding reactions, the interaction token for
 * `PATCH /webhooks/:app/:token/messages/@original`.
 */
export function bucketKeyOf(method: string, path: string): string | null {
  const reaction = /^\/channels\/(\d+)\/messages\/\d+\/reactions\//.exec(path);
  if (reaction && method === 'PUT') return `reactions:${reaction[1]}`;
  if (method !== 'PATCH') return null;
  const channel = /^\/channels\/(\d+)\/messages\/\d+$/.exec(path);
  if (channel) return `channel:${channel[1]}`;
  const webhook = /^\/webhooks\/\d+\/([^/]+)\/messages\/[^/]+$/.exec(path);
  if (webhook) return `webhook:${webhook[1]}`;
  return null;
}

/**
 * Sends message edits no faster than Discord's bucket for them allows, learnt from the rate-limit
 * headers of discord.js's own responses (`X-RateLimit-Remaining`, `-Reset-After`): what is left of a
 * bucket is spread evenly until it resets, so a burst never drains it and a later edit waits at most
 * one step. Per bucket, one edit is in flight at a time; an edit not yet sent is replaced by a newer one
 * for the same message (last write wins, never queued behind), and lower `priority` numbers go first.
 * Edits are handed to discord.js only when the bucket has room, so discord.js never queues them, and
 * never sends one into a bucket it has just learnt the id of but not yet the state (it keeps a fresh
 * queue per bucket id, so its second request of a route would otherwise go out unpaced).
 */
export class EditPacer {
  private readonly buckets = new Map<string, Bucket>();
  private readonly logger: Logger;
  private readonly now: () => number;

  constructor(rest: RestEvents, logger: Logger, now: () => number = Date.now) {
    this.logger = logger;
    this.now = now;
    rest.on('response', (request, response) => {
      const key = bucketKeyOf(request.method, String(request.path));
      if (key) this.learn(key, response.headers);
    });
  }

  /**
   * Queues `send` as the edit of `messageKey` in bucket `bucketKey`, replacing an edit of the same
   * message that has not gone yet. Errors of `send` are logged, never thrown.
   */
  submit(bucketKey: string, messageKey: string, priority: number, send: () => Promise<void>): void {
    const bucket = this.bucket(bucketKey);
    bucket.pending.set(messageKey, { priority, send });
    this.pump(bucketKey, bucket);
  }

  /** Edits waiting (not yet handed to discord.js), for tests and metrics. */
  pendingCount(): number {
    let n = 0;
    for (const b of this.buckets.values()) n += b.pending.size;
    return n;
  }

  private bucket(key: string): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= 1000) this.sweep();
      bucket = { nextAt: 0, busy: false, pending: new Map(), timer: null };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Forgets idle buckets whose pacing is over (each interaction reply teaches one). */
  private sweep(): void {
    const now = this.now();
    for (const [key, b] of this.buckets)
      if (!b.busy && !b.timer && b.pending.size === 0 && b.nextAt <= now) this.buckets.delete(key);
  }

  private learn(key: string, headers: Headers): void {
    const remaining = Number(headers.get('x-ratelimit-remaining'));
    const resetAfter = Number(headers.get('x-ratelimit-reset-after'));
    if (!headers.has('x-ratelimit-remaining') || !Number.isFinite(remaining) || !Number.isFinite(resetAfter))
      return;
    const resetMs = resetAfter * 1000 + RESET_MARGIN_MS;
    const bucket = this.bucket(key);
    bucket.nextAt = this.now() + (remaining > 0 ? resetMs / (remaining + 1) : resetMs);
  }

  private pump(key: string, bucket: Bucket): void {
    if (bucket.busy || bucket.timer || bucket.pending.size === 0) return;
    const wait = bucket.nextAt - this.now();
    if (wait > 0) {
      bucket.timer = setTimeout(() => {
        bucket.timer = null;
        this.pump(key, bucket);
      }, wait);
      bucket.timer.unref();
      return;
    }
    let first: [string, { priority: number; send: () => Promise<void> }] | null = null;
    for (const entry of bucket.pending) if (!first || entry[1].priority < first[1].priority) first = entry;
    const [messageKey, edit] = first!;
    bucket.pending.delete(messageKey);
    bucket.busy = true;
    edit
      .send()
      .catch((err) => this.logger.warn({ err: err?.message, bucket: key }, 'a message edit failed'))
      .finally(() => {
        bucket.busy = false;
        if (bucket.pending.size === 0 && bucket.nextAt <= this.now()) this.buckets.delete(key);
        else this.pump(key, bucket);
      });
  }
}
