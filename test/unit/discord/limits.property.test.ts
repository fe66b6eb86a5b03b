import type { ChatInputCommandInteraction } from 'discord.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { history } from '../../../commands/history.ts';
import { nowplaying } from '../../../commands/nowplaying.ts';
import { play } from '../../../commands/play.ts';
import { queue } from '../../../commands/queue.ts';
import { radio } from '../../../commands/radio.ts';
import { stats } from '../../../commands/stats.ts';
import { vote } from '../../../commands/vote.ts';
import type { Actions } from '../../../src/actions/index.ts';
import { filterView } from '../../../src/actions/playback.ts';
import type { QueueItem } from '../../../src/core/track.ts';
import type { Command, CommandContext, Reply } from '../../../src/discord/command.ts';
import { ComponentHandler, QUEUE_PICK, queueComponents } from '../../../src/discord/components.ts';
import { queueEmbed } from '../../../src/discord/format.ts';
import { trackMessage } from '../../../src/discord/queue-messages.ts';
import { bodyProblems } from '../../fakes/discord/spec.ts';

/**
 * Whatever titles, artists and names people bring (0 to 500 characters of emoji, combining marks,
 * right-to-left text, zero-width characters and markdown), every reply, embed, component, message edit
 * and autocomplete the commands produce is valid by Discord's OpenAPI document and its limits, as the
 * strict fake checks them, and never splits a character (no lone surrogate).
 */

const PIECES = [
  'a',
  'Z',
  ' ',
  '7',
  'é',
  'e\u0301',
  'a\u0301\u0302\u0303\u0304',
  '\u0301',
  '👍',
  '🎵',
  '👨‍👩‍👧‍👦',
  '🇫🇷',
  '🏳️‍🌈',
  '\u200b',
  '\u200d',
  '\u200e',
  '\u202e',
  'שלום',
  'مرحبا',
  '*',
  '**',
  '_',
  '`',
  '```',
  '~',
  '|',
  '||',
  '>',
  '[',
  ']',
  '(',
  ')',
  '\\',
  '#',
  '@everyone',
  '<@123>',
  '\n',
];

/** Text of 0 to `max` UTF-16 units made of the pieces above (cut at a piece boundary). */
const text = (max = 500, min = 0) =>
  fc
    .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 8 })), { maxLength: max, size: 'max' })
    .map((parts) => {
      let out = '';
      for (const p of parts) {
        if (out.length + p.length > max) break;
        out += p;
      }
      return out;
    })
    .filter((s) => s.length >= min);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function item(title: string, artist: string, position: number, votes: number, requester: string): QueueItem {
  return {
    id: `item-${position}`,
    guildId: '1',
    track: {
      id: `t${position}`,
      title,
      artist: artist || null,
      album: null,
      artworkUrl: null,
      durationMs: position % 3 === 0 ? null : 200_000 + position,
      provider: 'youtube',
      uri: 'https://example.com/x',
      metadata: {},
    },
    requestedBy: requester,
    requestedAt: new Date(0).toISOString(),
    votes,
    status: 'queued',
    position,
    startedAt: null,
    endedAt: null,
  };
}

const song = fc
  .record({ title: text(500, 1), artist: text(500), votes: fc.integer({ min: -50, max: 500 }) })
  .map((s, i = 0) => ({ ...s, i }));
const songs = fc
  .array(song, { minLength: 1, maxLength: 25, size: 'max' })
  .map((list) => list.map((s, i) => item(s.title, s.artist, i + 1, s.votes, String(100_000 + i))));

/** A command's context with the actions it calls answering `answers`, and options from `options`. */
function context(answers: Record<string, unknown>, options: Record<string, unknown> = {}): CommandContext {
  const queueActions = new Proxy(
    {},
    {
      get: (_t, name: string) => async () => {
        if (!(name in answers)) throw new Error(`unexpected action queue.${name}`);
        return answers[name];
      },
    },
  );
  const radioActions = new Proxy({}, { get: (_t, name: string) => async () => answers[`radio.${name}`] });
  const playbackActions = new Proxy(
    {},
    { get: (_t, name: string) => async () => answers[`playback.${name}`] },
  );
  const actor = { userId: '5', displayName: 'x', isAdmin: true, isDj: true, voiceChannelId: '9' };
  const interaction = {
    options: {
      getInteger: (n: string) => (options[n] as number) ?? null,
      getString: (n: string) => (options[n] as string) ?? null,
      getSubcommand: () => options.subcommand,
      getFocused: () => '',
    },
  } as unknown as ChatInputCommandInteraction;
  return {
    guildId: '1',
    channelId: '2',
    member: actor,
    call: { guildId: '1', actor },
    actions: { queue: queueActions, radio: radioActions, playback: playbackActions } as unknown as Actions,
    messages: { watchQueueMessage() {}, watchTrackMessage() {} },
    panels: { placed: async () => {}, refresh() {} },
    interaction,
  };
}

/** The problems the strict fake finds in a reply, sent as an interaction's first answer. */
function replyProblems(reply: Reply): unknown[] {
  const data = {
    content: reply.content ?? '',
    embeds: (reply.embeds ?? []).map((e) => e.toJSON()),
    components: (reply.components ?? []).map((c) => c.toJSON()),
    ...(reply.ephemeral ? { flags: 64 } : {}),
  };
  expect(JSON.stringify(data)).not.toMatch(LONE_SURROGATE);
  return bodyProblems('POST', '/api/v10/interactions/1/token/callback', { type: 4, data });
}

function editProblems(body: Record<string, unknown>): unknown[] {
  expect(JSON.stringify(body)).not.toMatch(LONE_SURROGATE);
  return bodyProblems('PATCH', '/api/v10/webhooks/1/token/messages/@original', body);
}

async function run(command: Command, ctx: CommandContext): Promise<Reply> {
  return command.execute(ctx);
}

// A failure is shrunk for at most 15 s, then reported as it stands.
const RUNS = { numRuns: 40, interruptAfterTimeLimit: 15_000 };

describe('what the commands send, whatever the titles and names', () => {
  it('/queue: the embed, the menu and the buttons, and the watched message’s edit', async () => {
    await fc.assert(
      fc.asyncProperty(songs, fc.option(songs), async (items, playing) => {
        const page = {
          items: items.slice(0, 10),
          total: items.length,
          playing: playing?.[0] ?? null,
          page: 1,
          pages: 3,
        };
        const reply = await run(queue, context({ page }));
        expect(replyProblems(reply)).toEqual([]);
        const edit = {
          embeds: [queueEmbed(page).toJSON()],
          components: queueComponents(page.items).map((c) => c.toJSON()),
        };
        expect(editProblems(edit)).toEqual([]);
      }),
      RUNS,
    );
  }, 60_000);

  it('/history count:20', async () => {
    await fc.assert(
      fc.asyncProperty(songs, async (items) => {
        const played = items
          .slice(0, 20)
          .map((i, n) => ({ ...i, status: n % 2 ? 'played' : 'skipped', position: null }));
        const reply = await run(history, context({ history: played }, { count: 20 }));
        expect(replyProblems(reply)).toEqual([]);
        expect(reply.content).toContain('Recently played');
      }),
      RUNS,
    );
  }, 60_000);

  it('/stats', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(text(500, 1), { maxLength: 10, size: 'max' }), async (titles) => {
        const s = {
          counts: { queued: 1, playing: 1, played: 5, skipped: 0, removed: 0 },
          added: 7,
          votes: 3,
          totalPlayedMs: 1_000_000,
          averagePlayedMs: 200_000,
          uniqueRequesters: 2,
          topRequesters: titles.map((_, i) => ({ userId: String(10_000 + i), count: 10 - i })),
          topTracks: titles.map((title, i) => ({ title, plays: 10 - i })),
        };
        const reply = await run(stats, context({ stats: s }));
        expect(replyProblems(reply)).toEqual([]);
      }),
      RUNS,
    );
  }, 60_000);

  it('/play, the track message and its later edits, /vote and /nowplaying', async () => {
    await fc.assert(
      fc.asyncProperty(songs, fc.boolean(), async (items, nowPlaying) => {
        const first = items[0]!;
        const added = {
          added: items.slice(0, 3).map((i) => ({ item: i, position: i.position })),
          notQueued: 2,
          notQueuedReason: { code: 'LIMIT', message: 'over the limit.' },
          playback: 'waiting-for-voice',
          nowPlaying: nowPlaying ? first : null,
          estimatedWaitMs: 0,
        };
        expect(replyProblems(await run(play, context({ add: added }, { query: 'x' })))).toEqual([]);
        const one = { ...added, added: added.added.slice(0, 1) };
        expect(replyProblems(await run(play, context({ add: one }, { query: 'x' })))).toEqual([]);
        expect(editProblems({ content: trackMessage(first) })).toEqual([]);
        const voted = { item: first, votes: first.votes, position: 1, previousPosition: 3 };
        expect(
          replyProblems(await run(vote, context({ vote: voted }, { item: first.id, direction: 'up' }))),
        ).toEqual([]);
        // The longest filter label there is: a preset and all three bands.
        const filter = filterView({ preset: 'nightcore', eq: { bass: -12, mid: 12, treble: -12 } });
        const state = { playing: first, state: 'playing', positionMs: 1000, filter };
        expect(replyProblems(await run(nowplaying, context({ 'playback.state': state })))).toEqual([]);
      }),
      RUNS,
    );
  }, 60_000);

  it('autocomplete of queue items', async () => {
    await fc.assert(
      fc.asyncProperty(songs, async (items) => {
        const choices = await vote.autocomplete!(context({ all: { items, playing: null } }) as never);
        expect(JSON.stringify(choices)).not.toMatch(LONE_SURROGATE);
        expect(
          bodyProblems('POST', '/api/v10/interactions/1/t/callback', { type: 8, data: { choices } }),
        ).toEqual([]);
        for (const c of choices) expect(c.name).toMatch(/^#\d+ .*\([+-]\d+\)$/s);
      }),
      RUNS,
    );
  }, 60_000);

  it('the /queue menu’s pick and vote replies', async () => {
    await fc.assert(
      fc.asyncProperty(songs, async (items) => {
        const first = items[0]!;
        const answers = { find: first, vote: { item: first, votes: 1, position: 1, previousPosition: 2 } };
        const ctx = context(answers);
        const pick = {
          message: { id: 'm' },
          customId: QUEUE_PICK,
          values: [first.id],
          isStringSelectMenu: () => true,
          isButton: () => false,
        };
        const reply = await new ComponentHandler().handle(pick as never, ctx.call, ctx.actions);
        expect(replyProblems(reply)).toEqual([]);
        const press = {
          message: { id: 'm' },
          customId: `vote:up:${first.id}`,
          isStringSelectMenu: () => false,
          isButton: () => true,
        };
        expect(
          replyProblems(await new ComponentHandler().handle(press as never, ctx.call, ctx.actions)),
        ).toEqual([]);
      }),
      RUNS,
    );
  }, 60_000);

  it('/radio list and nowplaying with long station names and song titles', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(text(500, 1), { minLength: 1, maxLength: 40, size: 'max' }),
        text(500),
        async (names, title) => {
          const stations = names.map((name) => ({ name, provider: 'icecast', apiKey: null, enabled: true }));
          expect(
            replyProblems(await run(radio, context({ 'radio.stations': stations }, { subcommand: 'list' }))),
          ).toEqual([]);
          const status = { station: stations[0], nowPlaying: { title, artist: title }, state: 'playing' };
          expect(
            replyProblems(
              await run(radio, context({ 'radio.status': status }, { subcommand: 'nowplaying' })),
            ),
          ).toEqual([]);
        },
      ),
      RUNS,
    );
  }, 60_000);
});
