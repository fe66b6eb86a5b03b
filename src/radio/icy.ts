import { Transform, type TransformCallback } from 'node:stream';

/** The seed's NowPlayingInfo. */
export interface NowPlayingInfo {
  title: string | null;
  artist: string | null;
  album: string | null;
  duration_seconds: number | null;
  bitrate: number | null;
  codec: string | null;
  genre: string | null;
  thumbnail_url: string | null;
  /** ISO 8601. */
  updated_at: string;
}

/**
 * Splits ICY metadata out of a Shoutcast/Icecast stream: after every `metaint` bytes of audio comes one
 * length byte (x16) and that many bytes of metadata (`StreamTitle='...';StreamUrl='...';`). The
 * audio passes through untouched; each metadata block with a StreamTitle is reported, so the same
 * connection that feeds voice also says what is playing, the moment it changes.
 */
export class IcyDemuxer extends Transform {
  private readonly metaint: number;
  private readonly onMetadata: (fields: Record<string, string>) => void;
  private audioLeft: number;
  private metaLeft = -1;
  private meta: Buffer[] = [];

  constructor(metaint: number, onMetadata: (fields: Record<string, string>) => void) {
    super();
    if (!Number.isInteger(metaint) || metaint <= 0) throw new Error(`bad icy-metaint ${metaint}`);
    this.metaint = metaint;
    this.audioLeft = metaint;
    this.onMetadata = onMetadata;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.audioLeft > 0) {
        const n = Math.min(this.audioLeft, chunk.length - offset);
        this.push(chunk.subarray(offset, offset + n));
        offset += n;
        this.audioLeft -= n;
      } else if (this.metaLeft === -1) {
        this.metaLeft = chunk[offset]! * 16;
        offset += 1;
        if (this.metaLeft === 0) this.endBlock();
      } else {
        const n = Math.min(this.metaLeft, chunk.length - offset);
        this.meta.push(chunk.subarray(offset, offset + n));
        offset += n;
        this.metaLeft -= n;
        if (this.metaLeft === 0) this.endBlock();
      }
    }
    done();
  }

  private endBlock(): void {
    const block = Buffer.concat(this.meta);
    this.meta = [];
    this.metaLeft = -1;
    this.audioLeft = this.metaint;
    if (block.length === 0) return;
    const fields = parseIcyMetadata(block);
    if ('StreamTitle' in fields) {
      try {
        this.onMetadata(fields);
      } catch {
        // A listener's failure must not stop the audio.
      }
    }
  }
}

/**
 * Parses one metadata block. Values are `'...'`-quoted and may themselves contain quotes, so a value
 * ends at the `';` that precedes the next `Key=` or the end. Bytes that are not UTF-8 are read as
 * Latin-1 (what old Shoutcast servers send).
 */
export function parseIcyMetadata(block: Buffer): Record<string, string> {
  const end = block.indexOf(0);
  const raw = block.subarray(0, end === -1 ? block.length : end);
  const text = decode(raw);
  const fields: Record<string, string> = {};
  const re = /([A-Za-z]+)='(.*?)';(?=[A-Za-z]+='|\s*$)/gs;
  for (const m of text.matchAll(re)) fields[m[1]!] = m[2]!;
  return fields;
}

function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

/** "Artist - Title" -> both; a title without " - " is all title, with no artist; empty -> nulls. */
export function splitStreamTitle(streamTitle: string): { artist: string | null; title: string | null } {
  const text = streamTitle.trim();
  if (text === '') return { artist: null, title: null };
  const at = text.indexOf(' - ');
  if (at === -1) return { artist: null, title: text };
  const artist = text.slice(0, at).trim();
  const title = text.slice(at + 3).trim();
  return { artist: artist || null, title: title || null };
}
