import type { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { trackSchema } from '../../src/core/track.ts';
import type { Provider } from '../../src/providers/provider.ts';

export interface ContractCase {
  /** A link to one well-known, long-lived track. */
  track: string;
  /** A link to a public playlist with more than `limit` entries. */
  playlist: string;
  /** Words that always find something. */
  search: string;
}

/**
 * What every provider promises, run against the real service: a link resolves to a valid track, a
 * playlist respects its limit, a search finds something, and the audio opens and delivers bytes.
 */
export function providerContract(make: () => Provider, sample: ContractCase): void {
  it('resolves a track link to one valid track', async () => {
    const tracks = await make().resolve(new URL(sample.track), { limit: 1 });
    expect(tracks).toHaveLength(1);
    const track = trackSchema.parse(tracks[0]);
    expect(track.title.length).toBeGreaterThan(0);
    expect(track.durationMs).toBeGreaterThan(0);
  });

  it('resolves a playlist to at most the limit', async () => {
    const tracks = await make().resolve(new URL(sample.playlist), { limit: 3 });
    expect(tracks.length).toBeGreaterThan(0);
    expect(tracks.length).toBeLessThanOrEqual(3);
    for (const track of tracks) trackSchema.parse(track);
  });

  it('finds tracks by words', async () => {
    const provider = make();
    const found = await provider.search!(sample.search, 3);
    expect(found.length).toBeGreaterThan(0);
    for (const track of found) trackSchema.parse(track);
  });

  it('opens the audio and delivers bytes', async () => {
    const provider = make();
    const [input] = await provider.resolve(new URL(sample.track), { limit: 1 });
    const audio = await provider.open(trackSchema.parse(input), {});
    try {
      expect(['ogg/opus', 'webm/opus', 'arbitrary']).toContain(audio.type);
      expect((await atLeast(audio.stream, 16 * 1024)).length).toBeGreaterThanOrEqual(16 * 1024);
    } finally {
      audio.close();
    }
    expect(provider.health().ok).toBe(true);
  });
}

async function atLeast(stream: Readable, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= bytes) break;
  }
  return Buffer.concat(chunks);
}
