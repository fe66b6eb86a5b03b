import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMember, FakeMessage } from '../fakes/discord/index.ts';
import { restApi } from './support/parity.ts';
import { World } from './support/world.ts';

/**
 * The bot's message updates against Discord's buckets, enforced by the strict fake (reactions 1 per
 * 0.25 s per channel, message creates and edits 5 per 5 s per channel, an interaction's webhook 5 per
 * 5 s per token; 429 beyond): no request is refused once discord.js knows the buckets
 * (test/e2e/support/strict-discord.ts fails the test otherwise), and after a burst of votes the messages
 * catch up within 3 s.
 */

const TOKEN = 'pacing-api-token-0123456789';
const TITLES = Array.from({ length: 10 }, (_, i) => `Pace Song ${String(i + 1).padStart(2, '0')}`);

let world: World;
let api: ReturnType<typeof restApi>;
const voters: FakeMember[] = [];
const trackMessages = new Map<string, FakeMessage>();

beforeAll(async () => {
  // Nobody is in voice: the ten songs stay queued, so all ten move with the votes.
  world = await World.start({ API_TOKEN: TOKEN, QUEUE_MAX_PER_USER: '100' }, (w) => {
    for (let i = 0; i < 10; i++) voters.push(w.discord.addMember(w.guild, `voter${i}`));
  });
  const http = String(world.bot.logs.find((l) => l.msg === 'Unified Music is running')?.http);
  api = restApi(http, TOKEN);
});
afterAll(async () => {
  await world?.stop();
});

/** The queued songs in play order, as the bot's REST API reads them. */
async function truth(): Promise<{ title: string; position: number; votes: number }[]> {
  const { json } = await api('GET', `/api/v1/queue/${world.guild.id}`);
  return (json.data.items as { track: { name: string }; position: number; votes: number }[]).map((i) => ({
    title: i.track.name,
    position: i.position,
    votes: i.votes,
  }));
}

describe("message updates paced by Discord's buckets", () => {
  it('ten /play in a row: every reply, then both reactions on every track message, and no 429', async () => {
    const seen = await Promise.all(
      TITLES.map((title) =>
        world.discord.slash(world.alice, 'play', { query: world.song(title, 440, 'ogg-opus', 3) }),
      ),
    );
    for (const [i, s] of seen.entries()) {
      expect(s.content).toMatch(/^Queued \*\*Pace Song/);
      trackMessages.set(TITLES[i]!, s.message!);
    }
    const bot = world.discord.bot.id;
    await world.discord.waitFor(() =>
      seen.every((s) => s.message!.reactions.get('👍')?.has(bot) && s.message!.reactions.get('👎')?.has(bot)),
    );
    expect(world.discord.rest.refusals.filter((r) => r.status === 429)).toEqual([]);
  });

  it('100 votes within 10 s over 10 queued songs: 3 s after the last vote every message shows the right position', async () => {
    const queueReply = await world.discord.slash(world.bob, 'queue');
    const queueMessage = queueReply.message!;
    // A fixed pseudo-random order of votes: each voter reacts 👍 or 👎 on a song, or takes it back.
    let seed = 14;
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const started = Date.now();
    for (let k = 0; k < 100; k++) {
      const voter = voters[k % voters.length]!;
      const message = trackMessages.get(TITLES[next(TITLES.length)]!)!;
      const emoji = next(3) === 0 ? '👎' : '👍';
      if (message.reactions.get(emoji)?.has(voter.id)) world.discord.unreact(message, voter, emoji);
      else world.discord.react(message, voter, emoji);
      // The workload: a vote every 95 ms, so that all 100 fall within 10 s.
      await sleep(95);
    }
    const lastVote = Date.now();
    expect(lastVote - started).toBeLessThan(10_000);

    await sleep(3_000 - (Date.now() - lastVote));
    const order = await truth();
    expect(order.map((o) => o.position)).toEqual(TITLES.map((_, i) => i + 1));

    // The /queue message lists the songs in the order the bot has them now.
    const lines = queueMessage.embeds[0]!.description!.split('\n');
    expect(lines.map((l) => /\*\*(Pace Song \d+)\*\*/.exec(l)?.[1])).toEqual(order.map((o) => o.title));
    // Every track message shows its song's position and votes.
    for (const o of order) {
      const text = trackMessages.get(o.title)!.content;
      expect(text, o.title).toContain(`— #${o.position} · ${o.votes > 0 ? '+' : ''}${o.votes} votes`);
    }
    expect(world.discord.rest.refusals.filter((r) => r.status === 429)).toEqual([]);
  });
});
