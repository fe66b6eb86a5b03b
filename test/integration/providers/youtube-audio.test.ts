import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackSchema } from '../../../src/core/track.ts';
import { YouTubeProvider, type YouTubeProviderOptions } from '../../../src/providers/youtube.ts';
import { videoTrack } from '../../../src/providers/youtube-map.ts';
import { FakeInnerTube } from '../../fakes/youtube/innertube.ts';
import { fakeYtDlp } from '../../fakes/youtube/yt-dlp.ts';
import { toneFile } from '../../support/tones.ts';

const OK = 'okVideo0001';
const BOT = 'botVideo001';
const AGE = 'ageVideo001';
const PRIVATE = 'privVideo01';

const track = (id: string, startMs: number | null = null) =>
  trackSchema.parse(videoTrack({ id, title: 'A song', channel: 'Someone', durationMs: 1000 }, startMs));

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The first chunk of a stream that never ends by itself (yt-dlp keeps running until killed). */
async function firstBytes(stream: Readable): Promise<Buffer> {
  for await (const chunk of stream) return chunk as Buffer;
  return Buffer.alloc(0);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('YouTube audio through youtubei.js, with yt-dlp as the fallback', () => {
  let innertube: FakeInnerTube;
  const webm = toneFile(440, 1, 'webm-opus');
  const provider = (options: YouTubeProviderOptions = {}) =>
    new YouTubeProvider({
      ytDlpPath: '/nonexistent/yt-dlp',
      ...options,
      innertube: { fetch: innertube.fetch, retrievePlayer: false, localSession: true },
    });

  beforeAll(async () => {
    innertube = await FakeInnerTube.start();
    innertube.video(OK, { kind: 'ok', title: 'Tone', author: 'Tester', seconds: 1, file: webm });
    innertube.video(BOT, { kind: 'bot-check' });
    innertube.video(AGE, { kind: 'age-restricted', title: 'Grown-up tone' });
    innertube.video(PRIVATE, { kind: 'private' });
  });
  afterAll(() => innertube.close());

  it('resolves a link to the video as youtubei.js reads it', async () => {
    const [resolved] = await provider().resolve(new URL(`https://music.youtube.com/watch?v=${OK}`), {
      limit: 1,
    });
    expect(trackSchema.parse(resolved)).toMatchObject({
      id: OK,
      title: 'Tone',
      artist: 'Tester',
      durationMs: 1000,
    });
  });

  it('streams the WebM/Opus format for passthrough, byte for byte', async () => {
    const youtube = provider();
    innertube.mediaRequests.length = 0;
    const audio = await youtube.open(track(OK), {});
    expect(audio.type).toBe('webm/opus');
    expect((await readAll(audio.stream)).equals(readFileSync(webm))).toBe(true);
    audio.close();
    expect(innertube.mediaRequests[0]).toContain('itag=251');
    expect(youtube.health()).toEqual({
      ok: true,
      detail: expect.objectContaining({ resolver: 'youtubei.js', last_error: null }),
    });
  });

  it('starts at the link timestamp unless the player resumes elsewhere', async () => {
    const youtube = provider();
    const fromLink = await youtube.open(track(OK, 65_000), {});
    expect(fromLink.seekMs).toBe(65_000);
    fromLink.close();
    const resumed = await youtube.open(track(OK, 65_000), { seekMs: 120_000 });
    expect(resumed.seekMs).toBe(120_000);
    resumed.close();
  });

  it('names the bot check when YouTube refuses every client and yt-dlp is not installed', async () => {
    const youtube = provider();
    innertube.playerClients.length = 0;
    const failure = youtube.open(track(BOT), {});
    await expect(failure).rejects.toMatchObject({ code: 'UPSTREAM_ERROR', status: 502 });
    await expect(failure).rejects.toThrow(/not a bot/);
    expect(innertube.playerClients).toEqual(['ANDROID_VR', 'TV', 'WEB']);
    expect(youtube.health()).toEqual({
      ok: false,
      detail: expect.objectContaining({
        last_error: expect.stringMatching(/^bot_check/),
        yt_dlp: expect.objectContaining({ available: false }),
      }),
    });
  });

  it('falls back to yt-dlp on a bot check, and kills it when the stream is closed', async () => {
    const ytDlp = fakeYtDlp({ kind: 'audio', file: webm });
    const youtube = provider({ ytDlpPath: ytDlp.path });
    const audio = await youtube.open(track(BOT), {});
    expect(audio.type).toBe('webm/opus');
    expect((await firstBytes(audio.stream)).subarray(0, 4)).toEqual(readFileSync(webm).subarray(0, 4));
    expect(ytDlp.calls()[0]).toContain(`-f bestaudio/best -o -`);
    expect(ytDlp.calls()[0]).toContain(`https://www.youtube.com/watch?v=${BOT}`);
    expect(youtube.health().detail).toMatchObject({
      resolver: 'yt-dlp',
      yt_dlp: { available: true, running: 1 },
    });
    const pid = ytDlp.lastPid();
    expect(isRunning(pid)).toBe(true);
    audio.close();
    await youtube.ytDlpIdle();
    expect(isRunning(pid)).toBe(false);
    expect(youtube.health()).toMatchObject({ ok: true, detail: { yt_dlp: { running: 0 } } });
  });

  it("tells the member yt-dlp's reason when it is refused too", async () => {
    const ytDlp = fakeYtDlp({
      kind: 'error',
      message: 'Sign in to confirm your age. This video may be inappropriate for some users.',
    });
    const youtube = provider({ ytDlpPath: ytDlp.path });
    await expect(youtube.open(track(AGE), {})).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      message: expect.stringContaining('age-restricted'),
    });
    expect(ytDlp.calls()).toHaveLength(1);
    await youtube.ytDlpIdle();
  });

  it('does not try yt-dlp for a private video', async () => {
    const ytDlp = fakeYtDlp({ kind: 'audio', file: webm });
    const youtube = provider({ ytDlpPath: ytDlp.path });
    await expect(youtube.open(track(PRIVATE), {})).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'This YouTube video is private.',
    });
    expect(ytDlp.calls()).toEqual([]);
  });

  it("reads a bot-checked video's details from yt-dlp -J, with the cookie as a cookies file", async () => {
    const ytDlp = fakeYtDlp({
      kind: 'audio',
      file: webm,
      info: {
        id: BOT,
        title: 'Blocked tone',
        channel: 'Tester',
        channel_id: 'UCtest',
        duration: 212.5,
        is_live: false,
      },
    });
    const youtube = provider({ ytDlpPath: ytDlp.path, cookie: 'SID=abc; __Secure-3PSID=def' });
    const [resolved] = await youtube.resolve(new URL(`https://youtu.be/${BOT}`), { limit: 1 });
    expect(resolved).toMatchObject({ id: BOT, title: 'Blocked tone', artist: 'Tester', durationMs: 212_500 });
    const args = ytDlp.calls()[0]!;
    expect(args).toMatch(/^-J --skip-download/);
    const cookies = readFileSync(/--cookies (\S+)/.exec(args)![1]!, 'utf8');
    expect(cookies).toContain('.youtube.com\tTRUE\t/\tTRUE\t');
    expect(cookies).toMatch(/\tSID\tabc\n/);
    expect(cookies).toMatch(/\t__Secure-3PSID\tdef\n/);
  });

  it('refuses a track id that is not a YouTube video id', async () => {
    const bad = { ...track(OK), id: 'x; rm -rf /' };
    await expect(provider().open(bad, {})).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
