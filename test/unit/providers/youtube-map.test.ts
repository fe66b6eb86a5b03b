import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Parser } from 'youtubei.js';
import { MAX_ITEM_BYTES, trackSchema } from '../../../src/core/track.ts';
import {
  classifyYouTubeMessage,
  failureToUserError,
  toFailure,
  YouTubeFailure,
} from '../../../src/providers/youtube-errors.ts';
import {
  evaluatePlayerScript,
  type FormatFacts,
  pickAudioFormat,
} from '../../../src/providers/youtube-format.ts';
import { playabilityFailure } from '../../../src/providers/youtube-innertube.ts';
import { parseIsoDuration, videoTrack } from '../../../src/providers/youtube-map.ts';
import { nodeToFacts } from '../../../src/providers/youtube-nodes.ts';

const nodes = JSON.parse(
  readFileSync(new URL('../../fixtures/youtube/innertube-nodes.json', import.meta.url), 'utf8'),
) as Record<string, Record<string, unknown>>;
/** A raw InnerTube renderer through youtubei.js's own parser, then our mapping. */
const facts = (name: string) => nodeToFacts(Parser.parseItem(nodes[name]));

describe('ISO 8601 durations from the Data API', () => {
  it.each([
    ['PT3M34S', 214_000],
    ['PT1H', 3_600_000],
    ['PT1H2M3S', 3_723_000],
    ['PT45S', 45_000],
    ['PT10H0M1S', 36_001_000],
    ['P1DT2H', 93_600_000],
    ['P0D', 0],
    ['PT', null],
    ['P', null],
    ['3:34', null],
    ['', null],
    [undefined, null],
  ])('%s is %s ms', (iso, ms) => {
    expect(parseIsoDuration(iso)).toBe(ms);
  });
});

describe('a video as a queue track', () => {
  it('fits the stored item limits, however long the title and channel are', () => {
    const track = videoTrack({
      id: 'LONGvideo01',
      title: `${'🎵 very long title '.repeat(30)}`,
      channel: 'c'.repeat(300),
      durationMs: 36_001_000,
      channelId: 'UCxxxxxxxxxxxxxxxxxxxxxx',
    });
    const parsed = trackSchema.parse(track);
    expect(parsed.title.length).toBeLessThanOrEqual(200);
    expect(parsed.artist).toHaveLength(100);
    expect(parsed).toMatchObject({
      provider: 'youtube',
      uri: 'https://www.youtube.com/watch?v=LONGvideo01',
      artworkUrl: 'https://i.ytimg.com/vi/LONGvideo01/hqdefault.jpg',
      durationMs: 36_001_000,
    });
    expect(Buffer.byteLength(JSON.stringify(parsed))).toBeLessThan(MAX_ITEM_BYTES);
  });

  it('has no duration when live, and keeps a t= start for the seek', () => {
    const live = videoTrack({
      id: 'jfKfPfyJRdk',
      title: 'radio',
      channel: 'Lofi Girl',
      durationMs: 0,
      live: true,
    });
    expect(live).toMatchObject({ durationMs: null, metadata: { live: true } });
    const started = videoTrack({ id: 'dQw4w9WgXcQ', title: 't', channel: null, durationMs: 214_000 }, 90_000);
    expect(started).toMatchObject({ artist: null, metadata: { start_ms: 90_000 } });
  });

  it('names an untitled video by its id', () => {
    expect(videoTrack({ id: 'dQw4w9WgXcQ', title: '  ', channel: '', durationMs: null }).title).toBe(
      'YouTube video dQw4w9WgXcQ',
    );
  });
});

describe('youtubei.js search results and playlist entries', () => {
  it('reads a search result (videoRenderer)', () => {
    expect(facts('searchVideo')).toEqual({
      id: 'dQw4w9WgXcQ',
      title: 'Rick Astley - Never Gonna Give You Up (Official Video) (4K Remaster)',
      channel: 'Rick Astley',
      channelId: 'UCuAXFkgsw1L7xaCfnd5JJOw',
      durationMs: 214_000,
      live: false,
    });
  });

  it('reads a live search result as live, with no duration', () => {
    expect(facts('searchLive')).toMatchObject({ id: 'jfKfPfyJRdk', live: true, durationMs: null });
  });

  it('reads a playlist entry (playlistVideoRenderer) and drops a deleted one', () => {
    expect(facts('playlistVideo')).toMatchObject({
      id: '9bZkp7q19f0',
      channel: 'officialpsy',
      durationMs: 253_000,
    });
    expect(facts('playlistDeleted')).toBeNull();
  });

  it('reads the newer lockup view, its length from the thumbnail badge', () => {
    expect(facts('lockupVideo')).toEqual({
      id: 'kJQP7kiw5Fk',
      title: 'Luis Fonsi - Despacito ft. Daddy Yankee',
      channel: 'Luis Fonsi',
      durationMs: 282_000,
      live: false,
    });
  });

  it('ignores playlists and channels among the results', () => {
    expect(facts('lockupPlaylist')).toBeNull();
    expect(facts('channel')).toBeNull();
    expect(nodeToFacts(null)).toBeNull();
  });
});

const format = (
  itag: number,
  mime_type: string,
  bitrate: number,
  extra: Partial<FormatFacts> = {},
): FormatFacts => ({
  itag,
  mime_type,
  bitrate,
  has_audio: mime_type.startsWith('audio/'),
  has_video: mime_type.startsWith('video/'),
  url: `https://rr1---sn-test.googlevideo.com/videoplayback?itag=${itag}`,
  ...extra,
});

describe('choosing the audio format', () => {
  const video = format(137, 'video/mp4; codecs="avc1.640028"', 4_000_000);
  const aac = format(140, 'audio/mp4; codecs="mp4a.40.2"', 130_000);
  const opus = format(251, 'audio/webm; codecs="opus"', 127_000);
  const opusLow = format(249, 'audio/webm; codecs="opus"', 50_000);

  it('prefers WebM/Opus (passed to Discord without transcoding) over a higher-bitrate AAC', () => {
    expect(pickAudioFormat([video, aac, opusLow, opus])).toEqual({
      itag: 251,
      type: 'webm/opus',
      mimeType: 'audio/webm; codecs="opus"',
    });
  });

  it('takes the best other audio when there is no Opus, for ffmpeg', () => {
    expect(pickAudioFormat([video, aac])).toMatchObject({ itag: 140, type: 'arbitrary' });
  });

  it('skips formats with no URL (SABR-only), dubbed tracks and DRC variants', () => {
    const sabr = format(251, 'audio/webm; codecs="opus"', 127_000, { url: undefined });
    const dubbed = format(250, 'audio/webm; codecs="opus"', 70_000, {
      audio_track: { audio_is_default: false },
    });
    const drc = format(252, 'audio/webm; codecs="opus"', 140_000, { is_drc: true });
    expect(pickAudioFormat([sabr, dubbed, drc, aac])).toMatchObject({ itag: 140 });
    expect(pickAudioFormat([video])).toBeNull();
    expect(pickAudioFormat([])).toBeNull();
  });
});

describe('the player script evaluator', () => {
  it("runs youtubei.js's extracted function body and returns its result", () => {
    const output = [
      'const exportedVars = (function(g) { return { nsigFunction: (n) => n.split("").reverse().join("") }; })({});',
      'function process(n) { return { n: exportedVars.nsigFunction(n), sig: undefined }; }',
      'return process("abc");',
    ].join('\n');
    expect(evaluatePlayerScript({ output })).toEqual({ n: 'cba', sig: undefined });
  });

  it('gives the script none of our globals, and stops a script that never ends', () => {
    expect(evaluatePlayerScript({ output: 'return { p: typeof process, r: typeof require };' })).toEqual({
      p: 'undefined',
      r: 'undefined',
    });
    expect(() => evaluatePlayerScript({ output: 'for (;;) {}' }, 50)).toThrow(/timed out/);
  });
});

describe('why YouTube refused, in plain words', () => {
  it.each([
    ['Sign in to confirm you’re not a bot', 'bot_check'],
    ["Sign in to confirm you're not a bot. This helps protect our community.", 'bot_check'],
    ['Sign in to confirm your age', 'age_restricted'],
    ['This video may be inappropriate for some users.', 'age_restricted'],
    ['This video is private', 'private'],
    ['Private video. Sign in if you have been granted access to this video', 'private'],
    ['Video unavailable', 'unavailable'],
    ['This video has been removed by the uploader', 'unavailable'],
    ['The uploader has not made this video available in your country', 'region'],
    ['Please sign in', 'login_required'],
    ['fetch failed', 'network'],
    ['Something odd', 'other'],
  ])('%j is %s', (message, kind) => {
    expect(classifyYouTubeMessage(message)).toBe(kind);
  });

  it('reads a playability status, taking the reason from the error screen when needed', () => {
    expect(playabilityFailure({ status: 'OK' })).toBeNull();
    expect(
      playabilityFailure({ status: 'LOGIN_REQUIRED', reason: 'Sign in to confirm you’re not a bot' })?.kind,
    ).toBe('bot_check');
    const screen = { reason: { toString: () => 'Sign in to confirm your age' } };
    expect(playabilityFailure({ status: 'LOGIN_REQUIRED', reason: '', error_screen: screen })?.kind).toBe(
      'age_restricted',
    );
    expect(playabilityFailure({ status: 'LOGIN_REQUIRED', reason: 'Hmm' })?.kind).toBe('login_required');
    expect(playabilityFailure({ status: 'UNPLAYABLE', reason: 'Hmm' })?.kind).toBe('unavailable');
  });

  it("reads youtubei.js's own errors", () => {
    const login = Object.assign(new Error('Video is login required'), {
      info: { error_type: 'LOGIN_REQUIRED' },
    });
    expect(toFailure(login).kind).toBe('login_required');
    const offline = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } });
    expect(toFailure(offline).kind).toBe('network');
  });

  it('turns a failure into a UserError: upstream for blocks, not found for private or removed videos', () => {
    const bot = failureToUserError(new YouTubeFailure('bot_check', 'x'));
    expect(bot).toMatchObject({ code: 'UPSTREAM_ERROR', status: 502 });
    expect(bot.message).toMatch(/not a bot.*YOUTUBE_COOKIE.*YOUTUBE_PO_TOKEN.*yt-dlp/);
    expect(failureToUserError(new YouTubeFailure('private', 'x'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(failureToUserError(new YouTubeFailure('other', 'weird answer')).message).toContain('weird answer');
  });
});
