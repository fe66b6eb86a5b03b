import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Seen } from '../fakes/discord/index.ts';
import { FakeVoiceServer } from '../fakes/discord/voice/server.ts';
import { FakeYouTubeDataApi } from '../fakes/youtube/data-api.ts';
import { fakeYtDlp } from '../fakes/youtube/yt-dlp.ts';
import { toneFile } from '../support/tones.ts';
import {
  type Api,
  type FrameKind,
  type Guild,
  itemId,
  mirrorGuild,
  type Observed,
  OverlayFeed,
  observe,
  type Person,
  queueLine,
  type RestAnswer,
  restApi,
} from './support/parity.ts';
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
let api: Api;
const feeds = new Map<Guild, OverlayFeed>();

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
  api = restApi(http, TOKEN);
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

// --- the steps, each in its Discord form and its REST form ------------------------------------------

interface Step {
  does: string;
  discord(): Promise<Seen>;
  rest(): Promise<RestAnswer>;
  /** The refusal both front ends give (the error code); absent when the step works. */
  refused?: string;
  /** What the member reads when it works. */
  says?: RegExp;
  /** More to check on the two answers together. */
  agree?(seen: Seen, rest: RestAnswer): void;
  /** What to wait for before both guilds are observed. */
  waitFor?(): Promise<void>;
}

interface Case {
  name: string;
  steps: Step[];
  /** The overlay frames whose sequence must be the same on both pages (all kinds must end alike). */
  frames: FrameKind[];
}

const songs = new Map<string, string>();
/** A tone file on the media host, one URL per title for both guilds. */
const url = (title: string) => {
  if (!songs.has(title)) songs.set(title, world.song(title, 300 + songs.size * 40));
  return songs.get(title)!;
};
const slash = (who: Person, name: string, options: Record<string, string | number | boolean> = {}) =>
  world.discord.slash(D.people[who], name, options);
const queuePath = () => `/api/v1/queue/${R.guild.id}`;
/** R's item of that title, or an id no queue has (for the unknown-item rows). */
const idIn = async (title: string) => itemId(api, R, title).catch(() => randomUUID());

const add = (who: Person, title: string): Step => ({
  does: `${who} adds ${title}`,
  discord: () => slash(who, 'play', { query: url(title) }),
  rest: () =>
    api('POST', `${queuePath()}/add`, { track_url: url(title), requested_by_user_id: R.people[who].id }),
  says: new RegExp(`^Queued \\*\\*${title}\\*\\*`),
});
const vote = (who: Person, title: string, direction: 'up' | 'down', refused?: string): Step => ({
  does: `${who} votes ${title} ${direction}`,
  discord: () => slash(who, 'vote', { item: title, direction }),
  rest: async () =>
    api('POST', `${queuePath()}/vote/${await idIn(title)}`, { user_id: R.people[who].id, direction }),
  says: /^Voted (up|down): /,
  ...(refused ? { refused } : {}),
});
/**
 * A vote as a 👍/👎 on the song's public message in Discord (taken back with `on` false), the same vote
 * over REST. The member sees no reply: the step waits until the bot has rewritten the message.
 */
const reaction = (who: Person, title: string, emoji: '👍' | '👎', on: boolean): Step => ({
  does: `${who} ${on ? 'reacts' : 'takes back'} ${emoji} on ${title}`,
  discord: async () => {
    const message = world.discord
      .messagesIn(D.text)
      .filter((m) => m.content.startsWith(`Queued **${title}**`))
      .at(-1)!;
    // The bot's own 👎 comes last, once the message is linked to its queue item.
    await world.discord.waitFor(() => (message.reactions.get('👎')?.size ?? 0) > 0);
    const before = message.content;
    if (on) world.discord.react(message, D.people[who], emoji);
    else world.discord.unreact(message, D.people[who], emoji);
    await world.discord.waitFor(() => message.content !== before);
    return {
      content: '',
      embeds: [],
      components: [],
      ephemeral: false,
      deferred: false,
      message,
      choices: [],
    };
  },
  rest: async () => {
    const id = await idIn(title);
    return on
      ? api('POST', `${queuePath()}/vote/${id}`, {
          user_id: R.people[who].id,
          direction: emoji === '👍' ? 'up' : 'down',
        })
      : api('DELETE', `${queuePath()}/vote/${id}`, { user_id: R.people[who].id });
  },
});
const unvote = (who: Person, title: string, refused?: string): Step => ({
  does: `${who} withdraws the vote on ${title}`,
  discord: () => slash(who, 'unvote', { item: title }),
  rest: async () => api('DELETE', `${queuePath()}/vote/${await idIn(title)}`, { user_id: R.people[who].id }),
  says: /^Vote withdrawn: /,
  ...(refused ? { refused } : {}),
});
const remove = (who: Person, title: string, refused?: string): Step => ({
  does: `${who} removes ${title}`,
  discord: () => slash(who, 'remove', { item: title }),
  rest: async () => api('DELETE', `${queuePath()}/${await idIn(title)}`),
  says: /^Removed /,
  ...(refused ? { refused } : {}),
});
const clear = (): Step => ({
  does: 'dj clears the queue',
  discord: () => slash('dj', 'clear'),
  rest: () => api('POST', `${queuePath()}/clear`),
  says: /^(Cleared \d+ songs|The queue was already empty)/,
});
/** pause, resume, stop and skip, by the DJ (the REST token is an admin). */
const control = (name: 'pause' | 'resume' | 'stop' | 'skip', refused?: string): Step => ({
  does: `dj: ${name}`,
  discord: () => slash('dj', name),
  rest: () => api('POST', name === 'skip' ? `${queuePath()}/skip` : `/api/v1/playback/${R.guild.id}/${name}`),
  says: { pause: /^Paused /, resume: /^Resumed /, stop: /^Stopped and left/, skip: /^Skipped / }[name],
  ...(refused ? { refused } : {}),
});
/** The admin changes settings (the Discord options and the REST body, read when the step runs), or reads them. */
const settings = (
  what: string,
  discord: () => Record<string, string | number>,
  rest: () => Record<string, unknown>,
): Step => ({
  does: `admin: settings ${what}`,
  discord: () => slash('admin', 'settings', discord()),
  rest: () => {
    const body = rest();
    return Object.keys(body).length === 0
      ? api('GET', `/api/v1/settings/${R.guild.id}`)
      : api('PATCH', `/api/v1/settings/${R.guild.id}`, body);
  },
  says: /^Settings( saved\.|:)\n/,
});
const mode = (to?: 'music' | 'radio', station?: string, refused?: string): Step => ({
  does: to ? `dj switches the mode to ${to}${station ? ` (${station})` : ''}` : 'alice reads the mode',
  discord: () => (to ? slash('dj', 'mode', { to, ...(station ? { station } : {}) }) : slash('alice', 'mode')),
  rest: () =>
    to
      ? api('POST', `/api/v1/mode/${R.guild.id}`, { mode: to, ...(station ? { station } : {}) })
      : api('GET', `/api/v1/mode/${R.guild.id}`),
  says: /mode/i,
  ...(refused ? { refused } : {}),
});
const volume = (percent: number, refused?: string): Step => ({
  does: `dj sets the volume to ${percent}%`,
  discord: () => slash('dj', 'volume', { percent }),
  rest: () => api('POST', `/api/v1/playback/${R.guild.id}/volume`, { volume: percent }),
  says: new RegExp(`^Volume set to ${percent}%`),
  ...(refused ? { refused } : {}),
});
const radio = {
  add: (name: string, streamUrl: () => string, refused?: string): Step => ({
    does: `admin saves the station ${name}`,
    discord: () => slash('admin', 'radio add', { name, url: streamUrl() }),
    rest: () => api('POST', `/api/v1/radio/${R.guild.id}/stations`, { name, stream_url: streamUrl() }),
    says: /^Saved the station /,
    ...(refused ? { refused } : {}),
  }),
  remove: (name: string, refused?: string): Step => ({
    does: `admin deletes the station ${name}`,
    discord: () => slash('admin', 'radio remove', { name }),
    rest: () => api('DELETE', `/api/v1/radio/${R.guild.id}/stations/${encodeURIComponent(name)}`),
    says: /^Deleted the station /,
    ...(refused ? { refused } : {}),
  }),
  play: (name: string, refused?: string): Step => ({
    does: `dj plays the station ${name}`,
    discord: () => slash('dj', 'radio play', { name }),
    rest: () => api('POST', `/api/v1/radio/${R.guild.id}/play`, { station: name }),
    ...(refused ? { refused } : {}),
  }),
  stop: (): Step => ({
    does: 'dj stops the radio (none plays)',
    discord: () => slash('dj', 'radio stop'),
    rest: () => api('POST', `/api/v1/radio/${R.guild.id}/stop`),
    says: /^No station is playing\.$/,
    agree: (_seen, rest) => expect(rest.json.data).toMatchObject({ station: null, state: 'stopped' }),
  }),
};
/** alice leaves the voice channel in both guilds (not an action: the bot only sees it). */
const leaveVoice = (): Step => ({
  does: 'alice leaves the voice channel, then reads the queue',
  discord: () => {
    world.discord.setVoice(D.people.alice, null);
    return slash('alice', 'queue');
  },
  rest: () => {
    world.discord.setVoice(R.people.alice, null);
    return api('GET', queuePath());
  },
});
/** alice, in the voice channel, queues the 10-video playlist. */
const playlist = (): Step => ({
  does: 'alice (in voice) adds a 10-video playlist over her limit of 3',
  discord: () => {
    world.discord.setVoice(D.people.alice, D.voice);
    return slash('alice', 'play', { query: `https://www.youtube.com/playlist?list=${PLAYLIST}` });
  },
  rest: () => {
    world.discord.setVoice(R.people.alice, R.voice);
    return api('POST', `${queuePath()}/add`, {
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

// --- running a step on both sides and comparing ---------------------------------------------------

const UNSETTLED = new Set(['connecting', 'starting']);

/**
 * Both guilds, observed once their players are past connecting and starting. Every move of a player
 * publishes now-playing to its overlay page, so an unsettled player is looked at again at the next frame.
 */
async function settled(): Promise<[Observed, Observed]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const pages = [...feeds.values()];
    const marks = pages.map((f) => f.frames.length);
    const both = await Promise.all([observe(api, D), observe(api, R)]);
    if (both.every((o) => !UNSETTLED.has(o.player.state))) return both;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`players never settled: ${both.map((o) => o.player.state).join(', ')}`)),
        Math.max(0, deadline - Date.now()),
      );
    });
    await Promise.race([...pages.map((f, i) => f.more(marks[i]!)), late]).finally(() => clearTimeout(timer));
  }
}

/** What a guild's overlay page must show once it caught up with the observed state. */
function picture(o: Observed): Record<FrameKind, string> {
  const playing = o.player.state === 'idle' ? null : (o.nowPlaying?.title ?? null);
  return {
    queue: queueLine(
      o.queue.map((i) => ({ track: { name: i.title }, votes: i.votes })),
      o.nowPlaying?.title ?? null,
    ),
    now_playing: `${playing ?? '-'}${o.player.state === 'paused' ? ' (paused)' : ''}`,
    mode: o.mode,
  };
}

async function run(step: Step): Promise<void> {
  const [seen, rest] = await Promise.all([step.discord(), step.rest()]);
  if (step.refused) {
    expect(rest.status, `${step.does}: REST status`).toBeGreaterThanOrEqual(400);
    expect(rest.status, `${step.does}: REST status`).toBeLessThan(500);
    expect(rest.json.error.code, `${step.does}: REST code`).toBe(step.refused);
    expect(seen.ephemeral, `${step.does}: the refusal is for the member alone`).toBe(true);
    expect(seen.content, `${step.does}: the member reads the action's refusal`).toBe(rest.json.error.message);
  } else {
    expect(rest.json.success, `${step.does}: REST ${JSON.stringify(rest.json.error)}`).toBe(true);
    if (step.says) expect(seen.content, `${step.does}: Discord reply`).toMatch(step.says);
  }
  step.agree?.(seen, rest);
  await step.waitFor?.();
  const [d, r] = await settled();
  expect(d, `${step.does}: the two guilds agree`).toEqual(r);
  for (const [g, o] of [
    [D, d],
    [R, r],
  ] as const) {
    const feed = feeds.get(g)!;
    const want = picture(o);
    await feed.until(
      () => JSON.stringify(feed.picture()) === JSON.stringify(want),
      `${JSON.stringify(want)} after "${step.does}" in ${g.guild.name}`,
    );
  }
}

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
    const allowed = await api('POST', `${queuePath()}/clear`);
    expect(allowed.json.data).toEqual({ removed: 1 });
  });
});
