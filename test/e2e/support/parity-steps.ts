import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Seen } from '../../fakes/discord/index.ts';
import {
  type FrameKind,
  itemId,
  type Person,
  picture,
  type RestAnswer,
  type Sides,
  settled,
} from './parity.ts';

/** One user intent, in its Discord form and its REST form. */
export interface Step {
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

/** A row of a parity table. */
export interface Case {
  name: string;
  steps: Step[];
  /** The overlay frames whose sequence must be the same on both pages (all kinds must end alike). */
  frames: FrameKind[];
}

export type { Sides };

/**
 * The steps of the parity tables, each in its Discord form and its REST form, and `run`, which does a
 * step on both sides and compares the answers, the two guilds' state and their overlay pages.
 */
export function paritySteps(s: Sides) {
  const songs = new Map<string, string>();
  /** A tone file on the media host, one URL per title for both guilds. */
  const url = (title: string) => {
    if (!songs.has(title)) songs.set(title, s.world.song(title, 300 + songs.size * 40));
    return songs.get(title)!;
  };
  const slash = (who: Person, name: string, options: Record<string, string | number | boolean> = {}) =>
    s.world.discord.slash(s.D.people[who], name, options);
  const queuePath = () => `/api/v1/queue/${s.R.guild.id}`;
  /** R's item of that title, or an id no queue has (for the unknown-item rows). */
  const idIn = async (title: string) => itemId(s.api, s.R, title).catch(() => randomUUID());

  /** Where D's song of that title stands, as the bot's REST API reads it. */
  const standing = async (title: string) => {
    const { json } = await s.api('GET', `/api/v1/queue/${s.D.guild.id}`);
    const found = (json.data.items as { track: { name: string }; position: number; votes: number }[]).find(
      (i) => i.track.name === title,
    );
    return found ? { position: found.position, votes: found.votes } : null;
  };

  const add = (who: Person, title: string): Step => ({
    does: `${who} adds ${title}`,
    discord: () => slash(who, 'play', { query: url(title) }),
    rest: () =>
      s.api('POST', `${queuePath()}/add`, {
        track_url: url(title),
        requested_by_user_id: s.R.people[who].id,
      }),
    says: new RegExp(`^Queued \\*\\*${title}\\*\\*`),
  });
  const vote = (who: Person, title: string, direction: 'up' | 'down', refused?: string): Step => ({
    does: `${who} votes ${title} ${direction}`,
    discord: () => slash(who, 'vote', { item: title, direction }),
    rest: async () =>
      s.api('POST', `${queuePath()}/vote/${await idIn(title)}`, { user_id: s.R.people[who].id, direction }),
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
      const message = s.world.discord
        .messagesIn(s.D.text)
        .filter((m) => m.content.startsWith(`Queued **${title}**`))
        .at(-1)!;
      // The bot's own 👎 comes last, once the message is linked to its queue item.
      await s.world.discord.waitFor(() => (message.reactions.get('👎')?.size ?? 0) > 0);
      const was = await standing(title);
      if (on) s.world.discord.react(message, s.D.people[who], emoji);
      else s.world.discord.unreact(message, s.D.people[who], emoji);
      // Wait until the bot has counted it (told through the overlay feed), then until the message
      // shows it: edits are paced, so a change seen earlier may be an older edit landing late.
      const feed = s.feeds.get(s.D)!;
      let now = was;
      for (;;) {
        const mark = feed.frames.length;
        now = await standing(title);
        if (JSON.stringify(now) !== JSON.stringify(was)) break;
        await feed.more(mark);
      }
      const shows = `#${now?.position} · ${(now?.votes ?? 0) > 0 ? '+' : ''}${now?.votes} votes`;
      await s.world.discord.waitFor(() => message.content.includes(shows));
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
        ? s.api('POST', `${queuePath()}/vote/${id}`, {
            user_id: s.R.people[who].id,
            direction: emoji === '👍' ? 'up' : 'down',
          })
        : s.api('DELETE', `${queuePath()}/vote/${id}`, { user_id: s.R.people[who].id });
    },
  });
  const unvote = (who: Person, title: string, refused?: string): Step => ({
    does: `${who} withdraws the vote on ${title}`,
    discord: () => slash(who, 'unvote', { item: title }),
    rest: async () =>
      s.api('DELETE', `${queuePath()}/vote/${await idIn(title)}`, { user_id: s.R.people[who].id }),
    says: /^Vote withdrawn: /,
    ...(refused ? { refused } : {}),
  });
  const remove = (who: Person, title: string, refused?: string): Step => ({
    does: `${who} removes ${title}`,
    discord: () => slash(who, 'remove', { item: title }),
    rest: async () => s.api('DELETE', `${queuePath()}/${await idIn(title)}`),
    says: /^Removed /,
    ...(refused ? { refused } : {}),
  });
  const clear = (): Step => ({
    does: 'dj clears the queue',
    discord: () => slash('dj', 'clear'),
    rest: () => s.api('POST', `${queuePath()}/clear`),
    says: /^(Cleared \d+ songs|The queue was already empty)/,
  });
  /** pause, resume, stop and skip, by the DJ (the REST token is an admin). */
  const control = (name: 'pause' | 'resume' | 'stop' | 'skip', refused?: string): Step => ({
    does: `dj: ${name}`,
    discord: () => slash('dj', name),
    rest: () =>
      s.api('POST', name === 'skip' ? `${queuePath()}/skip` : `/api/v1/playback/${s.R.guild.id}/${name}`),
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
        ? s.api('GET', `/api/v1/settings/${s.R.guild.id}`)
        : s.api('PATCH', `/api/v1/settings/${s.R.guild.id}`, body);
    },
    says: /^Settings( saved\.|:)\n/,
  });
  const mode = (to?: 'music' | 'radio', station?: string, refused?: string): Step => ({
    does: to ? `dj switches the mode to ${to}${station ? ` (${station})` : ''}` : 'alice reads the mode',
    discord: () =>
      to ? slash('dj', 'mode', { to, ...(station ? { station } : {}) }) : slash('alice', 'mode'),
    rest: () =>
      to
        ? s.api('POST', `/api/v1/mode/${s.R.guild.id}`, { mode: to, ...(station ? { station } : {}) })
        : s.api('GET', `/api/v1/mode/${s.R.guild.id}`),
    says: /mode/i,
    ...(refused ? { refused } : {}),
  });
  const volume = (percent: number, refused?: string): Step => ({
    does: `dj sets the volume to ${percent}%`,
    discord: () => slash('dj', 'volume', { percent }),
    rest: () => s.api('POST', `/api/v1/playback/${s.R.guild.id}/volume`, { volume: percent }),
    says: new RegExp(`^Volume set to ${percent}%`),
    ...(refused ? { refused } : {}),
  });
  const radio = {
    add: (name: string, streamUrl: () => string, refused?: string): Step => ({
      does: `admin saves the station ${name}`,
      discord: () => slash('admin', 'radio add', { name, url: streamUrl() }),
      rest: () => s.api('POST', `/api/v1/radio/${s.R.guild.id}/stations`, { name, stream_url: streamUrl() }),
      says: /^Saved the station /,
      ...(refused ? { refused } : {}),
    }),
    remove: (name: string, refused?: string): Step => ({
      does: `admin deletes the station ${name}`,
      discord: () => slash('admin', 'radio remove', { name }),
      rest: () => s.api('DELETE', `/api/v1/radio/${s.R.guild.id}/stations/${encodeURIComponent(name)}`),
      says: /^Deleted the station /,
      ...(refused ? { refused } : {}),
    }),
    play: (name: string, refused?: string): Step => ({
      does: `dj plays the station ${name}`,
      discord: () => slash('dj', 'radio play', { name }),
      rest: () => s.api('POST', `/api/v1/radio/${s.R.guild.id}/play`, { station: name }),
      ...(refused ? { refused } : {}),
    }),
    stop: (): Step => ({
      does: 'dj stops the radio (none plays)',
      discord: () => slash('dj', 'radio stop'),
      rest: () => s.api('POST', `/api/v1/radio/${s.R.guild.id}/stop`),
      says: /^No station is playing\.$/,
      agree: (_seen, rest) => expect(rest.json.data).toMatchObject({ station: null, state: 'stopped' }),
    }),
  };
  /** alice leaves the voice channel in both guilds (not an action: the bot only sees it). */
  const leaveVoice = (): Step => ({
    does: 'alice leaves the voice channel, then reads the queue',
    discord: () => {
      s.world.discord.setVoice(s.D.people.alice, null);
      return slash('alice', 'queue');
    },
    rest: () => {
      s.world.discord.setVoice(s.R.people.alice, null);
      return s.api('GET', queuePath());
    },
  });

  async function run(step: Step): Promise<void> {
    const [seen, rest] = await Promise.all([step.discord(), step.rest()]);
    if (step.refused) {
      expect(rest.status, `${step.does}: REST status`).toBeGreaterThanOrEqual(400);
      expect(rest.status, `${step.does}: REST status`).toBeLessThan(500);
      expect(rest.json.error.code, `${step.does}: REST code`).toBe(step.refused);
      expect(seen.ephemeral, `${step.does}: the refusal is for the member alone`).toBe(true);
      expect(seen.content, `${step.does}: the member reads the action's refusal`).toBe(
        rest.json.error.message,
      );
    } else {
      expect(rest.json.success, `${step.does}: REST ${JSON.stringify(rest.json.error)}`).toBe(true);
      if (step.says) expect(seen.content, `${step.does}: Discord reply`).toMatch(step.says);
    }
    step.agree?.(seen, rest);
    await step.waitFor?.();
    const [d, r] = await settled(s);
    expect(d, `${step.does}: the two guilds agree`).toEqual(r);
    for (const [g, o] of [
      [s.D, d],
      [s.R, r],
    ] as const) {
      const feed = s.feeds.get(g)!;
      const want = picture(o);
      await feed.until(
        () => JSON.stringify(feed.picture()) === JSON.stringify(want),
        `${JSON.stringify(want)} after "${step.does}" in ${g.guild.name}`,
      );
    }
  }

  return {
    url,
    slash,
    queuePath,
    run,
    add,
    vote,
    reaction,
    unvote,
    remove,
    clear,
    control,
    settings,
    mode,
    volume,
    radio,
    leaveVoice,
  };
}
