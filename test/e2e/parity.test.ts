import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeVoiceServer } from '../fakes/discord/voice/server.ts';
import { FakeYouTubeDataApi } from '../fakes/youtube/data-api.ts';
import { fakeYtDlp } from '../fakes/youtube/yt-dlp.ts';
import { toneFile } from '../support/tones.ts';
import { type Guild, mirrorGuild, OverlayFeed, restApi } from './support/parity.ts';
import { type Case, paritySteps, type Sides, type Step } from './support/parity-steps.ts';
import { World } from './support/world.ts';

/**
 * One action, two front ends. Guild D is driven only by members in Discord (the real discord.js client
 * against the fake), guild R only through the REST API (its token is an admin; bodies name R's
 * members). Both guilds have the same people, so after every step their state, read with ids replaced
 * by names, must be the same; so must the overlay pages of the two guilds and the refusals (the REST
 * error's code is the table's, and the member reads the same message the REST error carries).
 */

const TOKEN = 'parity-api-token-0123456789abcdef';
const PLAYLIST = 'PLparity00000000000000000000000001';
const VIDEOS = Array.from({ length: 10 }, (_, i) => ({
  id: `parityvid${String(i).padStart(2, '0')}`,
  title: `Track ${i + 1}`,
}));

let world: World;
let voice: FakeVoiceServer;
let youtube: FakeYouTubeDataApi;
const ytDlp = fakeYtDlp({ kind: 'audio', file: toneFile(520, 60, 'webm-opus') });
let D: Guild;
let R: Guild;
const feeds = new Map<Guild, OverlayFeed>();
/** Filled in once the bot runs; the table below is built before. */
const sides = { feeds } as Sides;
const steps = paritySteps(sides);
const { run, slash, queuePath, add, vote, reaction, unvote, remove, clear, control, settings } = steps;
const { mode, volume, radio, leaveVoice, url } = steps;

beforeAll(async () => {
  youtube = await FakeYouTubeDataApi.start('parity-youtube-key');
  for (const v of VIDEOS) youtube.addVideo(v.id, 95, v.title);
  youtube.addPlaylist(
    PLAYLIST,
    VIDEOS.map((v) => v.id),
  );
  voice = await FakeVoiceServer.start({ daveVersion: 0 });
  world = await World.start(
    {
      API_TOKEN: TOKEN,
      NODE_EXTRA_CA_CERTS: voice.caBundle,
      YOUTUBE_API_KEY: youtube.apiKey,
      YOUTUBE_API_URL: youtube.url,
      YTDLP_PATH: ytDlp.path,
    },
    (w) => {
      R = mirrorGuild(w.discord, 'Stream');
    },
  );
  world.discord.voiceEndpoint = voice.endpoint;
  D = {
    guild: world.guild,
    text: world.text,
    voice: world.voice,
    djRole: world.djRole,
    people: { admin: world.admin, dj: world.dj, alice: world.alice, bob: world.bob, carol: world.carol },
  };
  const http = String(world.bot.logs.find((l) => l.msg === 'Unified Music is running')?.http);
  const api = restApi(http, TOKEN);
  Object.assign(sides, { world, D, R, api });
  // Each guild's overlay link, from its own front end.
  const link = await world.discord.slash(D.people.admin, 'overlay link');
  const keyD = new URL(/https?:\/\/\S+/.exec(link.content)![0]).searchParams.get('key')!;
  const keyR = (await api('POST', `/api/v1/overlay/${R.guild.id}/key`)).json.data.key as string;
  feeds.set(D, await OverlayFeed.open(http, D.guild.id, keyD));
  feeds.set(R, await OverlayFeed.open(http, R.guild.id, keyR));
});
afterAll(async () => {
  for (const feed of feeds.values()) feed.close();
  await world?.stop();
  await voice?.stop();
  await youtube?.close();
});

const playlist = (): Step => ({
  does: 'alice (in voice) adds a 10-video playlist over her limit of 3',
  discord: () => {
    world.discord.setVoice(D.people.alice, D.voice);
    return slash('alice', 'play', { query: `https://www.youtube.com/playlist?list=${PLAYLIST}` });
  },
  rest: () => {
    world.discord.setVoice(R.people.alice, R.voice);
    return sides.api('POST', `${queuePath()}/add`, {
      track_url: `https://www.youtube.com/playlist?list=${PLAYLIST}`,
      requested_by_user_id: R.people.alice.id,
      voice_channel_id: R.voice.id,
    });
  },
  agree(seen, rest) {
    expect(rest.status).toBe(201);
    expect(rest.json.data).toMatchObject({
      queued_count: 3,
      not_queued_count: 7,
      not_queued_reason: { code: 'USER_QUEUE_LIMIT' },
      playback: 'voice',
    });
    const reason = rest.json.data.not_queued_reason.message as string;
    expect(reason).toMatch(/3 songs/);
    expect(seen.ephemeral).toBe(false);
    expect(seen.content).toContain('Queued **3** songs');
    expect(seen.content).toContain(`7 more not queued: ${reason}`);
  },
  /** The fake voice server hears the first song in both guilds' voice channels. */
  async waitFor() {
    for (const g of [D, R]) {
      const session = await voice.connected(g.guild.id);
      await session.until(() => session.audio().length >= 50);
    }
  },
});

// --- the table ---------------------------------------------------------------------------------------

const cases: Case[] = [
  {
    name: 'settings: the DJ role and limits are set, then read',
    steps: [
      settings(
        'the DJ role, vote-skip 60%, 40 songs at most',
        () => ({ dj_role: D.djRole, vote_skip_ratio: 0.6, max_queue: 40 }),
        () => ({ dj_role_id: R.djRole, vote_skip_ratio: 0.6, max_queue_length: 40 }),
      ),
      settings(
        'read',
        () => ({}),
        () => ({}),
      ),
    ],
    frames: ['queue', 'mode'],
  },
  {
    name: 'queueing and voting, with the refusals of a vote',
    steps: [
      add('alice', 'Dawn'),
      add('bob', 'Dusk'),
      add('carol', 'Noon'),
      vote('bob', 'Noon', 'up'),
      vote('bob', 'Noon', 'up', 'ALREADY_VOTED'),
      reaction('carol', 'Dawn', '👍', true),
      reaction('carol', 'Dawn', '👍', false),
      reaction('dj', 'Noon', '👎', true),
      vote('alice', 'Dusk', 'up'),
      vote('carol', 'Dusk', 'down'),
      vote('bob', 'Noon', 'down'),
      unvote('bob', 'Noon'),
      unvote('bob', 'Noon', 'NOT_VOTED'),
      vote('alice', 'No such song', 'up', 'ITEM_NOT_FOUND'),
      unvote('alice', 'No such song', 'ITEM_NOT_FOUND'),
    ],
    frames: ['queue', 'now_playing', 'mode'],
  },
  {
    name: 'removing and clearing',
    steps: [
      remove('alice', 'Dawn'),
      remove('dj', 'Noon'),
      remove('dj', 'No such song', 'ITEM_NOT_FOUND'),
      add('carol', 'Dawn'),
      clear(),
      clear(),
    ],
    frames: ['queue', 'now_playing', 'mode'],
  },
  {
    name: 'controls with nothing playing and the bot in no voice channel',
    steps: [
      add('alice', 'Dawn'),
      control('skip', 'NOT_CONNECTED'),
      control('pause', 'NOT_CONNECTED'),
      control('resume', 'NOT_CONNECTED'),
      control('stop', 'NOT_CONNECTED'),
      clear(),
    ],
    frames: ['queue', 'now_playing', 'mode'],
  },
  {
    name: 'the mode: read, an unknown station refused, music',
    steps: [mode(), mode('radio', 'No Such FM', 'STATION_NOT_FOUND'), mode('music'), mode()],
    frames: ['queue', 'now_playing', 'mode'],
  },
  {
    name: 'radio stations: saved, refused, stopped, deleted',
    steps: [
      radio.add('Parity FM', () => url('Parity FM')),
      radio.add('Broken FM', () => 'ftp://127.0.0.1/stream', 'INVALID_URL'),
      radio.play('No Such FM', 'STATION_NOT_FOUND'),
      radio.stop(),
      radio.remove('Parity FM'),
      radio.remove('Parity FM', 'STATION_NOT_FOUND'),
    ],
    frames: ['queue', 'now_playing', 'mode'],
  },
  {
    name: 'a playlist over the per-member limit: 3 queued, 7 not and why, playback starts; then the controls',
    steps: [
      settings(
        '3 songs a member',
        () => ({ per_user_limit: 3 }),
        () => ({ max_per_user: 3 }),
      ),
      playlist(),
      control('pause'),
      control('pause', 'CONFLICT'),
      control('resume'),
      control('skip'),
      control('stop'),
      volume(60, 'NOT_CONNECTED'),
      leaveVoice(),
    ],
    // The three adds and the start of playback are separate changes that the overlay coalesces as
    // timing falls, so only the pictures after each step are compared here, not the sequence.
    frames: ['mode'],
  },
];

describe('Discord and the REST API run the same actions', () => {
  it.each(cases)('$name', async ({ steps, frames }) => {
    const marks = new Map([...feeds].map(([g, f]) => [g, f.frames.length]));
    for (const step of steps) await run(step);
    for (const kind of frames) {
      expect(feeds.get(D)!.since(marks.get(D)!, kind), `${kind} frames`).toEqual(
        feeds.get(R)!.since(marks.get(R)!, kind),
      );
    }
  });

  it('permissions are checked at the Discord edge: a member is refused what the API token may do', async () => {
    await run(clear());
    await run(add('alice', 'Dawn'));
    const refused = await slash('bob', 'clear');
    expect(refused).toMatchObject({ ephemeral: true });
    expect(refused.content).toMatch(/^Only DJs/);
    const allowed = await sides.api('POST', `${queuePath()}/clear`);
    expect(allowed.json.data).toEqual({ removed: 1 });
  });
});
