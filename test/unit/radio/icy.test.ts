import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { IcyDemuxer, parseIcyMetadata, splitStreamTitle } from '../../../src/radio/icy.ts';

/** Builds an ICY stream: audio in `metaint`-byte runs, each followed by a metadata block. */
function icyStream(metaint: number, parts: { audio: Buffer; meta: string | Buffer }[]): Buffer {
  const out: Buffer[] = [];
  for (const { audio, meta } of parts) {
    if (audio.length !== metaint) throw new Error('audio run must be metaint bytes');
    out.push(audio);
    const body = typeof meta === 'string' ? Buffer.from(meta, 'utf8') : meta;
    const blocks = Math.ceil(body.length / 16);
    const padded = Buffer.alloc(blocks * 16);
    body.copy(padded);
    out.push(Buffer.from([blocks]), padded);
  }
  return Buffer.concat(out);
}

async function demux(stream: Buffer, metaint: number, chunkSize: number) {
  const titles: Record<string, string>[] = [];
  const demuxer = new IcyDemuxer(metaint, (f) => titles.push(f));
  const chunks: Buffer[] = [];
  for (let i = 0; i < stream.length; i += chunkSize) chunks.push(stream.subarray(i, i + chunkSize));
  const audio: Buffer[] = [];
  for await (const piece of Readable.from(chunks).pipe(demuxer)) audio.push(piece as Buffer);
  return { audio: Buffer.concat(audio), titles };
}

describe('IcyDemuxer', () => {
  const metaint = 32;
  const a = Buffer.alloc(metaint, 1);
  const b = Buffer.alloc(metaint, 2);
  const c = Buffer.alloc(metaint, 3);
  const stream = icyStream(metaint, [
    { audio: a, meta: "StreamTitle='Daft Punk - One More Time';StreamUrl='';" },
    { audio: b, meta: '' },
    { audio: c, meta: "StreamTitle='Björk - Jóga';" },
  ]);

  for (const chunkSize of [1, 7, 33, 4096]) {
    it(`passes the audio through untouched and reports each title (chunks of ${chunkSize})`, async () => {
      const { audio, titles } = await demux(stream, metaint, chunkSize);
      expect(audio.equals(Buffer.concat([a, b, c]))).toBe(true);
      expect(titles.map((t) => t.StreamTitle)).toEqual(['Daft Punk - One More Time', 'Björk - Jóga']);
    });
  }

  it('refuses a bad metaint', () => {
    expect(() => new IcyDemuxer(0, () => {})).toThrow(/metaint/);
  });
});

describe('parseIcyMetadata', () => {
  it('reads quoted values that contain quotes and semicolons', () => {
    const fields = parseIcyMetadata(
      Buffer.from("StreamTitle='Guns N' Roses - Sweet Child o' Mine; live';StreamUrl='http://x';\0\0"),
    );
    expect(fields).toEqual({
      StreamTitle: "Guns N' Roses - Sweet Child o' Mine; live",
      StreamUrl: 'http://x',
    });
  });

  it('reads Latin-1 bytes that are not UTF-8', () => {
    const latin1 = Buffer.concat([
      Buffer.from("StreamTitle='Beyonc"),
      Buffer.from([0xe9]),
      Buffer.from(" - Halo';"),
    ]);
    expect(parseIcyMetadata(latin1).StreamTitle).toBe('Beyoncé - Halo');
  });

  it('gives nothing for an empty or garbled block', () => {
    expect(parseIcyMetadata(Buffer.alloc(16))).toEqual({});
    expect(parseIcyMetadata(Buffer.from('garbage without fields'))).toEqual({});
  });
});

describe('splitStreamTitle', () => {
  it('splits "Artist - Title"', () => {
    expect(splitStreamTitle('Daft Punk - One More Time')).toEqual({
      artist: 'Daft Punk',
      title: 'One More Time',
    });
  });
  it('keeps later dashes in the title', () => {
    expect(splitStreamTitle('A - B - C')).toEqual({ artist: 'A', title: 'B - C' });
  });
  it('gives the whole string as title and no artist without " - "', () => {
    expect(splitStreamTitle('Station ID jingle')).toEqual({ artist: null, title: 'Station ID jingle' });
    expect(splitStreamTitle('Jay-Z')).toEqual({ artist: null, title: 'Jay-Z' });
  });
  it('gives nulls for an empty title', () => {
    expect(splitStreamTitle('   ')).toEqual({ artist: null, title: null });
  });
});
