import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackSchema } from '../../../src/core/track.ts';
import { YouTubeProvider } from '../../../src/providers/youtube.ts';
import { YouTubeDataApi } from '../../../src/providers/youtube-data-api.ts';
import { FakeYouTubeDataApi } from '../../fakes/youtube/data-api.ts';
import { FakeInnerTube } from '../../fakes/youtube/innertube.ts';
import { toneFile } from '../../support/tones.ts';

/** An 11-character video id made from a number, as YouTube's look. */
const vid = (n: number) => `vid${String(n).padStart(8, '0')}`;

describe('YouTube metadata from the Data API v3 (YOUTUBE_API_KEY)', () => {
  let api: FakeYouTubeDataApi;
  let innertube: FakeInnerTube;
  let youtube: YouTubeProvider;

  beforeAll(async () => {
    api = await FakeYouTubeDataApi.start('key-123');
    innertube = await FakeInnerTube.start();
    youtube = new YouTubeProvider({
      apiKey: 'key-123',
      apiUrl: api.url,
      ytDlpPath: '/nonexistent/yt-dlp',
      innertube: { fetch: innertube.fetch, retrievePlayer: false, localSession: true },
    });
    const ids = Array.from({ length: 120 }, (_, i) => vid(i));
    for (const [i, id] of ids.entries()) api.addVideo(id, 60 + i);
    // Two deleted entries early in the list, as real playlists have.
    api.addPlaylist('PLbigplaylist0001', [
      ids[0]!,
      'deletedVid1',
      ...ids.slice(1, 3),
      'deletedVid2',
      ...ids.slice(3),
    ]);
  });
  afterAll(async () => {
    await api.close();
    await innertube.close();
  });

  it('searches with /search, then reads titles and ISO 8601 durations from /videos', async () => {
    api.requests.length = 0;
    const found = await youtube.search('never gonna', 5);
    expect(found).toHaveLength(1);
    expect(trackSchema.parse(found[0])).toMatchObject({
      id: 'dQw4w9WgXcQ',
      title: 'Rick Astley - Never Gonna Give You Up (Official Video) (4K Remaster)',
      artist: 'Rick Astley',
      durationMs: 214_000,
      provider: 'youtube',
      uri: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    });
    expect(api.requests.map((u) => u.pathname)).toEqual(['/youtube/v3/search', '/youtube/v3/videos']);
    expect(api.requests[0]!.searchParams.get('type')).toBe('video');
  });

  it('finds nothing without failing', async () => {
    expect(await youtube.search('zzz no such words', 5)).toEqual([]);
  });

  it('resolves a watch link with a timestamp to the video with its start', async () => {
    const [track] = await youtube.resolve(new URL('https://youtu.be/9bZkp7q19f0?t=1m5s'), { limit: 1 });
    expect(trackSchema.parse(track)).toMatchObject({
      id: '9bZkp7q19f0',
      durationMs: 253_000,
      metadata: { start_ms: 65_000, channel_id: 'UCrDkAvwZum-UTjHmzDI2iIw' },
    });
  });

  it('resolves a live stream with no duration (P0D)', async () => {
    const [track] = await youtube.resolve(new URL('https://www.youtube.com/watch?v=jfKfPfyJRdk'), {
      limit: 1,
    });
    expect(track).toMatchObject({ durationMs: null, metadata: { live: true } });
  });

  it('says when a video does not exist', async () => {
    await expect(
      youtube.resolve(new URL('https://www.youtube.com/watch?v=nonexistent'), { limit: 1 }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('takes the first N of a playlist, skipping deleted entries, reading only the pages it needs', async () => {
    api.requests.length = 0;
    const small = await youtube.resolve(new URL('https://www.youtube.com/playlist?list=PLbigplaylist0001'), {
      limit: 5,
    });
    expect(small.map((t) => t.id)).toEqual([vid(0), vid(1), vid(2), vid(3), vid(4)]);
    expect(api.requests.filter((u) => u.pathname.endsWith('/playlistItems'))).toHaveLength(1);

    api.requests.length = 0;
    const totals: number[] = [];
    const big = await youtube.resolve(new URL('https://www.youtube.com/playlist?list=PLbigplaylist0001'), {
      limit: 60,
      onTotal: (n) => totals.push(n),
    });
    // The list's whole length (deleted entries count, as YouTube counts them), told once.
    expect(totals).toEqual([122]);
    expect(big).toHaveLength(60);
    expect(big.map((t) => t.id)).toEqual(Array.from({ length: 60 }, (_, i) => vid(i)));
    expect(big[59]).toMatchObject({ durationMs: (60 + 59) * 1000 });
    expect(api.requests.filter((u) => u.pathname.endsWith('/playlistItems'))).toHaveLength(2);
    for (const track of big) trackSchema.parse(track);
  });

  it('says when a playlist does not exist', async () => {
    await expect(
      youtube.resolve(new URL('https://www.youtube.com/playlist?list=PLdoesnotexist00'), { limit: 10 }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('falls back to youtubei.js when the quota is used up, and health says why', async () => {
    innertube.video('9bZkp7q19f0', {
      kind: 'ok',
      title: 'PSY - GANGNAM STYLE',
      author: 'officialpsy',
      seconds: 253,
      file: toneFile(440, 1, 'webm-opus'),
    });
    api.quotaExceeded = true;
    try {
      const [track] = await youtube.resolve(new URL('https://www.youtube.com/watch?v=9bZkp7q19f0'), {
        limit: 1,
      });
      expect(track).toMatchObject({ id: '9bZkp7q19f0', title: 'PSY - GANGNAM STYLE', durationMs: 253_000 });
      expect(youtube.health().detail).toMatchObject({
        metadata: 'data-api',
        last_error: expect.stringContaining('quota'),
      });
    } finally {
      api.quotaExceeded = false;
    }
  });

  it('names a refused API key and a used-up quota in plain words', async () => {
    const badKey = new YouTubeDataApi({ apiKey: 'wrong', baseUrl: api.url });
    await expect(badKey.search('anything', 1)).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      message: "YouTube refused the bot's API key (YOUTUBE_API_KEY).",
    });
    api.quotaExceeded = true;
    try {
      const client = new YouTubeDataApi({ apiKey: 'key-123', baseUrl: api.url });
      await expect(client.videos(['dQw4w9WgXcQ'])).rejects.toMatchObject({
        code: 'UPSTREAM_ERROR',
        message: expect.stringContaining('quota for today is used up'),
      });
    } finally {
      api.quotaExceeded = false;
    }
  });

  it('says when the Data API cannot be reached', async () => {
    const nowhere = new YouTubeDataApi({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9/youtube/v3' });
    await expect(nowhere.search('x', 1)).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      message: expect.stringContaining('could not be reached'),
    });
  });
});
