import { PermissionFlagsBits } from 'discord-api-types/v10';
import { WebSocket } from 'ws';
import type { FakeChannel, FakeDiscord, FakeGuild, FakeMember } from '../../fakes/discord/index.ts';
import { apiClient } from '../../support/api.ts';
import type { World } from './world.ts';

/** The people of each guild, by the name the parity tables use. */
export const PEOPLE = ['admin', 'dj', 'alice', 'bob', 'carol'] as const;
export type Person = (typeof PEOPLE)[number];

/** One guild of the parity suite: its people by name, so that two guilds read alike. */
export interface Guild {
  guild: FakeGuild;
  text: FakeChannel;
  voice: FakeChannel;
  djRole: string;
  people: Record<Person, FakeMember>;
}

/** A second guild shaped like the World's own: the same channels, roles and member names. */
export function mirrorGuild(discord: FakeDiscord, name: string): Guild {
  const guild = discord.createGuild(name);
  const text = discord.addTextChannel(guild, 'music');
  const voice = discord.addVoiceChannel(guild, 'Lounge');
  const djRole = discord.addRole(guild, 'DJ', PermissionFlagsBits.SendMessages);
  const people = {
    admin: discord.addMember(guild, 'admin', { admin: true }),
    dj: discord.addMember(guild, 'dj', { roles: [djRole] }),
    alice: discord.addMember(guild, 'alice'),
    bob: discord.addMember(guild, 'bob'),
    carol: discord.addMember(guild, 'carol'),
  };
  return { guild, text, voice, djRole, people };
}

/** A REST answer: the status and the envelope. */
export interface RestAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON read by path in assertions
  json: any;
}

export type Api = (method: string, path: string, body?: unknown) => Promise<RestAnswer>;

/** The bot's REST API with its token (an admin), at the URL it logs when it runs. */
export function restApi(base: string, token: string): Api {
  return apiClient(base, token);
}

interface WireItem {
  id: string;
  track: { name: string };
  requested_by_user_id: string;
  votes: number;
  position: number | null;
  status: string;
}

/**
 * What a guild looks like from outside, with ids replaced by names so that two guilds compare:
 * queued items in play order, the playing song, the history, the mode, the player and the settings.
 * Read through the REST API (reading is not driving: the guild's actions stay on its own front end).
 */
export async function observe(api: Api, g: Guild) {
  const id = g.guild.id;
  const name = (userId: string) =>
    Object.entries(g.people).find(([, m]) => m.id === userId)?.[0] ?? `unknown ${userId}`;
  const item = (i: WireItem) => ({
    title: i.track.name,
    votes: i.votes,
    position: i.position,
    status: i.status,
    requester: name(i.requested_by_user_id),
  });
  const [queue, history, mode, player, settings, stations] = await Promise.all([
    api('GET', `/api/v1/queue/${id}`),
    api('GET', `/api/v1/queue/${id}/history?limit=50`),
    api('GET', `/api/v1/mode/${id}`),
    api('GET', `/api/v1/playback/${id}/state`),
    api('GET', `/api/v1/settings/${id}`),
    api('GET', `/api/v1/radio/${id}/stations`),
  ]);
  const s = settings.json.data;
  return {
    queue: (queue.json.data.items as WireItem[]).map(item),
    nowPlaying: queue.json.data.now_playing ? item(queue.json.data.now_playing) : null,
    history: (history.json.data.items as WireItem[]).map(item),
    mode: mode.json.data.active_mode as string,
    player: {
      state: player.json.data.state as string,
      inVoice: player.json.data.voice_channel_id === g.voice.id,
      volume: player.json.data.volume as number | null,
    },
    stations: (stations.json.data.stations as { name: string; provider: string; stream_url: string }[]).map(
      (st) => `${st.name} (${st.provider}) ${st.stream_url}`,
    ),
    settings: {
      djRole: s.dj_role_id === g.djRole ? 'DJ' : s.dj_role_id,
      voteSkipRatio: s.vote_skip_ratio,
      maxQueue: s.max_queue_length,
      maxPerUser: s.max_per_user,
      defaultVolume: s.default_volume,
      stayInVoice: s.stay_in_voice,
    },
  };
}

export type Observed = Awaited<ReturnType<typeof observe>>;

/** The id of the queued item with this title (a REST path names items by id). */
export async function itemId(api: Api, g: Guild, title: string): Promise<string> {
  const { json } = await api('GET', `/api/v1/queue/${g.guild.id}`);
  const found = (json.data.items as WireItem[]).find((i) => i.track.name === title);
  if (!found) throw new Error(`"${title}" is not queued in ${g.guild.name}`);
  return found.id;
}

interface Frame {
  type: string;
  // biome-ignore lint/suspicious/noExplicitAny: frames read by path
  data: any;
}

/** The kinds of overlay frames a case compares, each normalised to a line without ids or times. */
export type FrameKind = 'queue' | 'now_playing' | 'mode';

/** A queue as the overlay shows it: `title votes` in play order, and the playing title. */
export function queueLine(
  items: { track: { name: string }; votes: number }[],
  playing: string | null,
): string {
  return `${items.map((i) => `${i.track.name} ${i.votes}`).join(', ')} | playing: ${playing ?? '-'}`;
}

/**
 * One overlay page of a guild: its socket and every frame it got. `latest` reads the page's current
 * picture (the snapshot, then what changed it); `since` the changes after a point, normalised.
 */
export class OverlayFeed {
  readonly frames: Frame[] = [];
  private readonly socket: WebSocket;
  private waiters: (() => void)[] = [];

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (raw) => {
      this.frames.push(JSON.parse(String(raw)));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(httpBase: string, guildId: string, key: string): Promise<OverlayFeed> {
    const socket = new WebSocket(
      `${httpBase.replace(/^http/, 'ws')}/ws/music/${guildId}?key=${encodeURIComponent(key)}`,
    );
    const feed = new OverlayFeed(socket);
    await feed.until(() => feed.frames.some((f) => f.type === 'snapshot'), 'the snapshot');
    return feed;
  }

  /** Waits for the frames to pass `test`; fails with what the page last showed if they never do. */
  async until(test: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
    const deadline = setTimeout(() => {
      for (const w of this.waiters.splice(0)) w();
    }, timeoutMs);
    try {
      const start = Date.now();
      while (!test()) {
        if (Date.now() - start >= timeoutMs) {
          throw new Error(`overlay never showed ${what}; it shows ${JSON.stringify(this.picture())}`);
        }
        await new Promise<void>((resolve) => this.waiters.push(resolve));
      }
    } finally {
      clearTimeout(deadline);
    }
  }

  /** Resolves once the page got more than `count` frames (never fails: the caller bounds the wait). */
  more(count: number): Promise<void> {
    if (this.frames.length > count) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => (this.frames.length > count ? resolve() : this.waiters.push(check));
      this.waiters.push(check);
    });
  }

  /** The frame of `kind` as one line, or null for frames of other kinds. */
  static line(frame: Frame, kind: FrameKind): string | null {
    const d = frame.data;
    if (kind === 'queue' && frame.type === 'queue_update')
      return queueLine(d.items, d.now_playing?.track.name ?? null);
    if (kind === 'now_playing' && frame.type === 'now_playing')
      return `${d.track?.name ?? '-'}${d.paused ? ' (paused)' : ''}`;
    if (kind === 'mode' && frame.type === 'mode_change') return d.active_mode;
    return null;
  }

  /** What the page shows now, by kind: the snapshot's part, replaced by every later frame of that kind. */
  picture(): Record<FrameKind, string | null> {
    const shown: Record<FrameKind, string | null> = { queue: null, now_playing: null, mode: null };
    for (const f of this.frames) {
      if (f.type === 'snapshot') {
        const d = f.data;
        shown.queue = queueLine(d.queue.items, d.queue.now_playing?.track.name ?? null);
        shown.now_playing = `${d.now_playing.track?.name ?? '-'}${d.now_playing.paused ? ' (paused)' : ''}`;
        shown.mode = d.mode.active_mode;
        continue;
      }
      for (const kind of ['queue', 'now_playing', 'mode'] as const) {
        const line = OverlayFeed.line(f, kind);
        if (line !== null) shown[kind] = line;
      }
    }
    return shown;
  }

  /** The frames of `kind` after frame `from`, as lines, a repeat of the line before it dropped. */
  since(from: number, kind: FrameKind): string[] {
    const lines: string[] = [];
    for (const f of this.frames.slice(from)) {
      const line = OverlayFeed.line(f, kind);
      if (line !== null && lines.at(-1) !== line) lines.push(line);
    }
    return lines;
  }

  close(): void {
    this.socket.close();
  }
}

/** What the parity steps drive and watch; filled in once the bot runs (the tables are built before). */
export interface Sides {
  world: World;
  /** Driven only by members in Discord. */
  D: Guild;
  /** Driven only through the REST API. */
  R: Guild;
  api: Api;
  feeds: Map<Guild, OverlayFeed>;
}

// --- observing both guilds once they settled ------------------------------------------------------

const UNSETTLED = new Set(['connecting', 'starting']);

/**
 * Both guilds, observed once their players are past connecting and starting. Every move of a player
 * publishes now-playing to its overlay page, so an unsettled player is looked at again at the next frame.
 */
export async function settled(s: Sides): Promise<[Observed, Observed]> {
  const deadline = Date.now() + 60_000; // generous: a busy machine can take many seconds to start a song
  for (;;) {
    const pages = [...s.feeds.values()];
    const marks = pages.map((f) => f.frames.length);
    const both = await Promise.all([observe(s.api, s.D), observe(s.api, s.R)]);
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
export function picture(o: Observed): Record<FrameKind, string> {
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
