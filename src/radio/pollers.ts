import { createHash } from 'node:crypto';
import type { Clock } from '../core/clock.ts';
import { isUserError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { MediaAllowlist } from '../net/address-policy.ts';
import { safeFetch } from '../net/safe-fetch.ts';
import type { NowPlayingInfo } from './icy.ts';
import { METADATA_PARSERS } from './metadata/index.ts';
import type { MetadataParser, StationApi } from './metadata/types.ts';

type Info = Omit<NowPlayingInfo, 'updated_at'>;
type Listener = (info: Info) => void;

const MAX_JSON_BYTES = 1024 * 1024;

interface Poller {
  parser: MetadataParser;
  api: StationApi;
  listeners: Set<Listener>;
  timer: NodeJS.Timeout | null;
  last: { info: Info | null; at: number } | null;
  failing: boolean;
  running: boolean;
}

/**
 * Station metadata APIs, polled every `intervalMs` while at least one guild plays the station: one
 * poller per station API shared by every guild, its answer cached for the interval. A malformed
 * answer, a timeout or a 5xx keeps the last good now-playing and is logged once per failure streak.
 */
export class StationPollers {
  private readonly pollers = new Map<string, Poller>();
  private readonly options: {
    allowlist: MediaAllowlist;
    intervalMs: number;
    timeoutMs: number;
    clock: Clock;
    logger: Logger;
  };
  /** Requests made so far (the benchmark and tests count them). */
  requests = 0;

  constructor(options: {
    allowlist: MediaAllowlist;
    intervalMs?: number;
    timeoutMs?: number;
    clock: Clock;
    logger: Logger;
  }) {
    this.options = { intervalMs: 30_000, timeoutMs: 5_000, ...options };
  }

  /** Whether the station's provider has a metadata API we read. */
  static supports(provider: string, apiEndpoint: string | null): boolean {
    return apiEndpoint !== null && provider in METADATA_PARSERS;
  }

  /**
   * Follows the station's API; `listener` gets every new answer (at once, the cached one if fresh).
   * Returns the unsubscribe function; the poller stops with its last listener.
   */
  subscribe(provider: string, api: StationApi, listener: Listener): () => void {
    const parser = METADATA_PARSERS[provider];
    if (!parser) return () => {};
    const key = keyOf(provider, api);
    let poller = this.pollers.get(key);
    if (!poller) {
      poller = { parser, api, listeners: new Set(), timer: null, last: null, failing: false, running: false };
      this.pollers.set(key, poller);
    }
    poller.listeners.add(listener);
    const fresh = poller.last && this.options.clock.now() - poller.last.at < this.options.intervalMs;
    if (fresh) {
      if (poller.last?.info) listener(poller.last.info);
    } else if (!poller.running) {
      void this.poll(key, poller);
    }
    if (!poller.timer) this.schedule(key, poller);
    return () => {
      const p = this.pollers.get(key);
      if (!p) return;
      p.listeners.delete(listener);
      if (p.listeners.size === 0) {
        if (p.timer) clearTimeout(p.timer);
        this.pollers.delete(key);
      }
    };
  }

  /** Pollers running now (one per station API with listeners). */
  get size(): number {
    return this.pollers.size;
  }

  close(): void {
    for (const p of this.pollers.values()) if (p.timer) clearTimeout(p.timer);
    this.pollers.clear();
  }

  private schedule(key: string, poller: Poller): void {
    poller.timer = setTimeout(() => {
      poller.timer = null;
      if (this.pollers.get(key) !== poller) return;
      void this.poll(key, poller).finally(() => {
        if (this.pollers.get(key) === poller) this.schedule(key, poller);
      });
    }, this.options.intervalMs);
    poller.timer.unref();
  }

  private async poll(key: string, poller: Poller): Promise<void> {
    poller.running = true;
    try {
      const info = poller.parser.parse(await this.fetchJson(poller), poller.api);
      const previous = poller.last?.info ?? null;
      poller.last = { info: info ?? previous, at: this.options.clock.now() };
      if (poller.failing)
        this.options.logger.info({ station: key.slice(0, 12) }, 'station API answers again');
      poller.failing = false;
      if (info && JSON.stringify(info) !== JSON.stringify(previous)) {
        for (const listener of poller.listeners) listener(info);
      }
    } catch (err) {
      if (!poller.failing) {
        const reason = isUserError(err) ? err.message : (err as Error).message;
        this.options.logger.warn(
          { provider: poller.parser.provider, reason },
          'station API failed; keeping the last now-playing',
        );
      }
      poller.failing = true;
    } finally {
      poller.running = false;
    }
  }

  private async fetchJson(poller: Poller): Promise<unknown> {
    const { url, headers } = poller.parser.request(poller.api);
    this.requests += 1;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const response = await safeFetch(url, {
        allowlist: this.options.allowlist,
        headers: { accept: 'application/json', ...headers },
        timeoutMs: this.options.timeoutMs,
        signal: controller.signal,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > MAX_JSON_BYTES) {
          response.body.destroy();
          throw new Error('the answer is over 1 MiB');
        }
        chunks.push(chunk as Buffer);
      }
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (err) {
      if (controller.signal.aborted) throw new Error(`no answer within ${this.options.timeoutMs} ms`);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}

function keyOf(provider: string, api: StationApi): string {
  return createHash('sha256')
    .update(JSON.stringify([provider, api.apiEndpoint, api.apiKey, api.metadataPath, api.customHeaders]))
    .digest('hex');
}
