import type { Clock } from '../core/clock.ts';
import { UserError } from '../core/errors.ts';
import type { MediaAllowlist } from '../net/address-policy.ts';
import { safeFetch } from '../net/safe-fetch.ts';
import type { NowPlayingData, RadioUpdateData } from './events.ts';

/** An image as the overlay page gets it. */
export interface ArtworkImage {
  type: string;
  body: Buffer;
}

export interface ArtworkProxyOptions {
  /** The SSRF guard's allowlist (`MEDIA_ALLOWLIST`): the same rules as for links people play. */
  allowlist: MediaAllowlist;
  clock: Clock;
  /** Largest image fetched. Default 2 MiB. */
  maxBytes?: number;
  /** Images kept, and their total size. Defaults 64 and 16 MiB. */
  maxEntries?: number;
  maxTotalBytes?: number;
  /** How long an image (or a refusal) is reused. Defaults 10 min and 1 min. */
  ttlMs?: number;
  failureTtlMs?: number;
  /** Time for the whole image to arrive. Default 8 s. */
  timeoutMs?: number;
}

/** Raster formats only: SVG can carry script, and no album art needs it. */
const TYPES: Record<string, (head: Buffer) => boolean> = {
  'image/png': (h) => h.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (h) => h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff,
  'image/gif': (h) => h.subarray(0, 4).toString('latin1') === 'GIF8',
  'image/webp': (h) =>
    h.subarray(0, 4).toString('latin1') === 'RIFF' && h.subarray(8, 12).toString('latin1') === 'WEBP',
  'image/avif': (h) =>
    h.subarray(4, 8).toString('latin1') === 'ftyp' && /^avi[fs]$/.test(h.subarray(8, 12).toString('latin1')),
};

interface Entry {
  expires: number;
  result: ArtworkImage | UserError;
}

/**
 * Fetches the artwork the overlay shows (album art, a station API's image) on the page's behalf, so
 * that the streamer's OBS only ever loads images from the side-server: every fetch goes through the
 * SSRF guard (no loopback or LAN address unless allowlisted), only PNG, JPEG, GIF, WebP and AVIF whose
 * bytes match their type are passed on, at most `maxBytes` each. Images (and refusals, for a shorter
 * time) are kept in a small LRU, and pages asking for the same image at once share one fetch.
 */
export class ArtworkProxy {
  private readonly options: Required<Omit<ArtworkProxyOptions, 'allowlist' | 'clock'>>;
  private readonly allowlist: MediaAllowlist;
  private readonly clock: Clock;
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<ArtworkImage>>();
  private totalBytes = 0;

  constructor(options: ArtworkProxyOptions) {
    this.allowlist = options.allowlist;
    this.clock = options.clock;
    this.options = {
      maxBytes: options.maxBytes ?? 2 * 1024 * 1024,
      maxEntries: options.maxEntries ?? 64,
      maxTotalBytes: options.maxTotalBytes ?? 16 * 1024 * 1024,
      ttlMs: options.ttlMs ?? 10 * 60_000,
      failureTtlMs: options.failureTtlMs ?? 60_000,
      timeoutMs: options.timeoutMs ?? 8_000,
    };
  }

  /**
   * The image at `url`, from the cache or fetched.
   * @throws UserError INVALID_URL, FORBIDDEN_ADDRESS, NOT_FOUND, UPSTREAM_ERROR (not an image, too
   *   large, slow or failing)
   */
  async get(url: string): Promise<ArtworkImage> {
    const cached = this.cache.get(url);
    if (cached && cached.expires > this.clock.now()) {
      // Most recently used last.
      this.cache.delete(url);
      this.cache.set(url, cached);
      if (cached.result instanceof UserError) throw cached.result;
      return cached.result;
    }
    if (cached) this.forget(url);
    let pending = this.inflight.get(url);
    if (!pending) {
      pending = this.fetch(url).then(
        (image) => {
          this.remember(url, image, this.options.ttlMs);
          return image;
        },
        (err: unknown) => {
          if (err instanceof UserError) this.remember(url, err, this.options.failureTtlMs);
          throw err;
        },
      );
      pending.finally(() => this.inflight.delete(url)).catch(() => undefined);
      this.inflight.set(url, pending);
    }
    return pending;
  }

  /** Images held now, and their bytes (for tests and metrics). */
  size(): { entries: number; bytes: number } {
    return { entries: this.cache.size, bytes: this.totalBytes };
  }

  private async fetch(url: string): Promise<ArtworkImage> {
    const response = await safeFetch(url, {
      allowlist: this.allowlist,
      timeoutMs: this.options.timeoutMs,
      headers: { accept: Object.keys(TYPES).join(', ') },
    });
    const type = String(response.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    const matches = TYPES[type];
    if (!matches) {
      response.body.destroy();
      throw new UserError('UPSTREAM_ERROR', 'That artwork is not a PNG, JPEG, GIF, WebP or AVIF image.');
    }
    const declared = Number(response.headers['content-length']);
    if (declared > this.options.maxBytes) {
      response.body.destroy();
      throw tooLarge(this.options.maxBytes);
    }
    const body = await this.read(response.body);
    if (!matches(body))
      throw new UserError('UPSTREAM_ERROR', `That artwork is not the ${type} it claims to be.`);
    return { type, body };
  }

  /** The whole body, within the size limit and the time limit. */
  private read(stream: import('node:http').IncomingMessage): Promise<Buffer> {
    const { maxBytes, timeoutMs } = this.options;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const fail = (err: UserError) => {
        clearTimeout(timer);
        stream.destroy();
        reject(err);
      };
      const timer = setTimeout(
        () => fail(new UserError('UPSTREAM_ERROR', 'That artwork did not arrive in time.')),
        timeoutMs,
      );
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) fail(tooLarge(maxBytes));
        else chunks.push(chunk);
      });
      stream.once('end', () => {
        clearTimeout(timer);
        resolve(Buffer.concat(chunks));
      });
      stream.once('error', () => fail(new UserError('UPSTREAM_ERROR', 'That artwork could not be read.')));
    });
  }

  private remember(url: string, result: ArtworkImage | UserError, ttlMs: number): void {
    this.forget(url);
    this.cache.set(url, { expires: this.clock.now() + ttlMs, result });
    if (!(result instanceof UserError)) this.totalBytes += result.body.length;
    while (this.cache.size > this.options.maxEntries || this.totalBytes > this.options.maxTotalBytes) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.forget(oldest);
    }
  }

  private forget(url: string): void {
    const entry = this.cache.get(url);
    if (!entry) return;
    this.cache.delete(url);
    if (!(entry.result instanceof UserError)) this.totalBytes -= entry.result.body.length;
  }
}

/**
 * The artwork URLs these payloads show (album art, station image). The artwork route fetches only the
 * ones a guild's overlay shows now, so that an overlay key is no way to fetch any image on the web.
 */
export function shownArtwork(
  nowPlaying: (NowPlayingData | null | undefined)[],
  radio: (RadioUpdateData | null | undefined)[],
): Set<string> {
  const urls = [
    ...nowPlaying.map((d) => d?.track?.album_art_url),
    ...radio.map((d) => d?.now_playing?.thumbnail_url),
  ];
  return new Set(urls.filter((url): url is string => Boolean(url)));
}

function tooLarge(maxBytes: number): UserError {
  return new UserError('UPSTREAM_ERROR', `That artwork is larger than ${Math.round(maxBytes / 1024)} KiB.`);
}
