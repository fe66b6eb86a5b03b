import { basename } from 'node:path';
import { UserError } from '../core/errors.ts';
import { tidyText } from '../core/text.ts';
import type { Track, TrackInput } from '../core/track.ts';
import type { MediaAllowlist } from '../net/address-policy.ts';
import { safeFetch } from '../net/safe-fetch.ts';
import type { PlayableStream } from '../playback/ports.ts';
import type { Provider, ProviderHealth } from './provider.ts';
import { containerOf, peek } from './sniff.ts';

const AUDIO_TYPES =
  /^(audio\/|application\/ogg|application\/octet-stream|video\/webm|application\/x-mpegurl)/i;

/**
 * Direct HTTP audio: files (mp3, ogg/opus, webm, aac, ...) and Icecast/Shoutcast streams. Metadata
 * comes from the response headers (icy-name, icy-genre, icy-br, content-type); every request goes
 * through the SSRF guard.
 */
export class HttpAudioProvider implements Provider {
  readonly name = 'http';
  private readonly allowlist: MediaAllowlist;
  private lastError: string | null = null;

  constructor(options: { allowlist: MediaAllowlist }) {
    this.allowlist = options.allowlist;
  }

  canResolve(url: URL): boolean {
    return url.protocol === 'http:' || url.protocol === 'https:';
  }

  async resolve(url: URL): Promise<TrackInput[]> {
    if (url.href.length > 300)
      throw new UserError('INVALID_URL', 'That link is too long (300 characters at most).');
    if (/%(?![0-9a-f]{2})/i.test(url.pathname))
      throw new UserError(
        'INVALID_URL',
        'That link has a broken %-escape (a % not followed by two hex digits).',
      );
    const response = await safeFetch(url, { allowlist: this.allowlist, timeoutMs: 8_000 });
    response.body.destroy();
    const type = String(response.headers['content-type'] ?? '');
    const icyName = header(response.headers['icy-name']);
    if (type && !AUDIO_TYPES.test(type) && !icyName) {
      throw new UserError('INVALID_URL', `That link is not audio (it is ${type.split(';')[0]}).`);
    }
    const live = Boolean(icyName || response.headers['icy-metaint'] || !response.headers['content-length']);
    const file = decodePath(basename(url.pathname)).replace(/\.[a-z0-9]{2,4}$/i, '');
    const metadata: Record<string, string | number> = {};
    if (type) metadata.content_type = type.split(';')[0]!.slice(0, 100);
    const genre = header(response.headers['icy-genre']);
    if (genre) metadata.genre = genre.slice(0, 100);
    const bitrate = Number(header(response.headers['icy-br']));
    if (bitrate > 0) metadata.bitrate = bitrate;
    return [
      {
        id: url.href.slice(0, 200),
        // A file name may decode to control characters (%00, %0A); the title is one clean line.
        title: tidyText(icyName, 200) ?? tidyText(file, 200) ?? url.hostname,
        artist: null,
        album: null,
        artworkUrl: null,
        durationMs: null,
        provider: this.name,
        uri: url.href,
        metadata: { ...metadata, live },
      },
    ];
  }

  async open(track: Track, options: { seekMs?: number } = {}): Promise<PlayableStream> {
    try {
      const response = await safeFetch(track.uri, { allowlist: this.allowlist, timeoutMs: 8_000 });
      const { head, stream } = await peek(response.body, 4096);
      this.lastError = null;
      let closed = false;
      return {
        stream,
        type: containerOf(head),
        live: track.durationMs === null,
        ...(options.seekMs ? { seekMs: options.seekMs } : {}),
        close: () => {
          if (closed) return;
          closed = true;
          response.body.destroy();
          stream.destroy();
        },
      };
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  }

  health(): ProviderHealth {
    return { ok: true, detail: { last_error: this.lastError } };
  }
}

/**
 * A path segment as a name: each run of %-escapes that is UTF-8 is decoded; one that is not (`%FF`, a
 * cut sequence, as old servers write Latin-1 names) stays as written, so the link still plays.
 */
function decodePath(segment: string): string {
  return segment.replace(/(%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

function header(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}
