import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.ts';
import { LrclibClient } from '../../src/lyrics/lrclib.ts';
import { LyricsService } from '../../src/lyrics/service.ts';

/**
 * The LRCLIB contract the bot relies on, against the real service (`npm run test:live`, needs the
 * internet): the fields of a record, 404 for an unknown signature, 400 without the required
 * parameters (what the fake in test/fakes/lrclib copies), search by `q`, a record by id, and the
 * service's lookup of a video-style title. LYRICS_API_URL points it at a mirror.
 */
const base = process.env.LYRICS_API_URL ?? 'https://lrclib.net';
const client = new LrclibClient({
  baseUrl: base,
  userAgent: 'unified-music/live-test (contract check)',
  timeoutMs: 30_000,
});
const SAMPLE = {
  track: 'I Want to Live',
  artist: 'Borislav Slavov',
  album: "Baldur's Gate 3 (Original Game Soundtrack)",
  durationS: 233,
};

describe('LRCLIB (live)', () => {
  it('finds a record by its signature, with plain and synced lyrics in LRC', async () => {
    const record = await client.get(SAMPLE);
    expect(record).not.toBeNull();
    expect(record).toMatchObject({ trackName: SAMPLE.track, artistName: SAMPLE.artist, instrumental: false });
    expect(Math.abs((record!.duration ?? 0) - SAMPLE.durationS)).toBeLessThanOrEqual(2);
    expect(record!.plainLyrics?.length).toBeGreaterThan(100);
    expect(record!.syncedLyrics).toMatch(/^\[\d{2}:\d{2}\.\d{2,3}\]/m);
    expect(await client.getById(record!.id)).toMatchObject({ id: record!.id, trackName: SAMPLE.track });
  });

  it('answers 404 for a signature it does not know (null), and a list for a search', async () => {
    expect(await client.get({ track: 'zzqx no such song 9137', artist: 'zzqx nobody 4412' })).toBeNull();
    const found = await client.search(`${SAMPLE.artist} ${SAMPLE.track}`);
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThanOrEqual(20);
    expect(found.some((r) => r.trackName === SAMPLE.track)).toBe(true);
  });

  it('answers 400 without track_name or artist_name, and for a search without words, as the fake does', async () => {
    const status = async (path: string) => {
      const res = await fetch(`${base}${path}`, { headers: { 'user-agent': 'unified-music/live-test' } });
      await res.body?.cancel();
      return res.status;
    };
    expect(await status(`/api/get?track_name=${encodeURIComponent(SAMPLE.track)}`)).toBe(400);
    expect(await status(`/api/get?artist_name=${encodeURIComponent(SAMPLE.artist)}`)).toBe(400);
    expect(await status('/api/search')).toBe(400);
  });

  it('the lyrics service finds synced lines for a video-style title', async () => {
    const service = new LyricsService({ client, clock: systemClock });
    const lyrics = await service.forTrack({
      title: `${SAMPLE.artist} - ${SAMPLE.track} (Official Audio)`,
      artist: null,
      album: null,
      durationMs: SAMPLE.durationS * 1000,
    });
    expect(lyrics?.synced?.length).toBeGreaterThan(5);
    expect(lyrics!.synced!.every((l, i, all) => i === 0 || all[i - 1]!.ms <= l.ms)).toBe(true);
  });
});
