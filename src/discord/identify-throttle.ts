import { setTimeout as sleep } from 'node:timers/promises';
import type { ClientOptions } from 'discord.js';
import type { Logger } from '../core/logger.ts';

/** Discord's identify window (5 s), with a margin for the time between taking it and sending. */
export const IDENTIFY_WINDOW_MS = 5_250;

/** Identify windows shared with the other processes of the bot (Redis in a fleet). */
export interface SharedIdentifyWindows {
  /** 0 when this process may identify now for this rate-limit key, else ms to wait before asking again. */
  take(rateLimitKey: number, windowMs: number): Promise<number>;
}

type BuildThrottler = NonNullable<NonNullable<ClientOptions['ws']>['buildIdentifyThrottler']>;
type Throttler = Awaited<ReturnType<BuildThrottler>>;

/**
 * discord.js's identify throttler, shared across processes: a shard waits until its rate-limit key's
 * window is free in the whole fleet, not only in this process. While the shared store does not
 * answer, it falls back to pacing this process's own shards (what discord.js does by itself).
 */
export class SharedIdentifyThrottler implements Throttler {
  private readonly local = new Map<number, number>();
  private readonly maxConcurrency: number;
  private readonly windows: SharedIdentifyWindows;
  private readonly log: Logger;

  constructor(maxConcurrency: number, windows: SharedIdentifyWindows, log: Logger) {
    this.maxConcurrency = maxConcurrency;
    this.windows = windows;
    this.log = log;
  }

  async waitForIdentify(shardId: number, signal: AbortSignal): Promise<void> {
    const key = shardId % this.maxConcurrency;
    for (;;) {
      signal.throwIfAborted();
      let wait: number;
      try {
        wait = await this.windows.take(key, IDENTIFY_WINDOW_MS);
      } catch (err) {
        this.log.warn(
          { err: String(err), shard: shardId },
          'identify windows unreachable; pacing only this process',
        );
        const since = Date.now() - (this.local.get(key) ?? 0);
        if (since < IDENTIFY_WINDOW_MS) await sleep(IDENTIFY_WINDOW_MS - since, undefined, { signal });
        this.local.set(key, Date.now());
        return;
      }
      if (wait === 0) {
        this.local.set(key, Date.now());
        return;
      }
      await sleep(wait, undefined, { signal });
    }
  }
}

/** The client option that makes discord.js use the shared windows (max_concurrency from /gateway/bot). */
export function sharedIdentifyThrottling(
  windows: SharedIdentifyWindows,
  log: Logger,
): Pick<NonNullable<ClientOptions['ws']>, 'buildIdentifyThrottler'> {
  return {
    buildIdentifyThrottler: async (manager) => {
      const info = await manager.fetchGatewayInformation();
      const maxConcurrency = Math.max(1, info.session_start_limit.max_concurrency);
      return new SharedIdentifyThrottler(maxConcurrency, windows, log);
    },
  };
}
