import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PanelView } from '../../../src/actions/index.ts';
import type { QueueItem } from '../../../src/core/track.ts';
import { LIMITS } from '../../../src/discord/limits.ts';
import { panelMessage, progressBar, progressText } from '../../../src/discord/panel-view.ts';
import { bodyProblems } from '../../fakes/discord/spec.ts';

function item(title: string, position: number | null, durationMs: number | null = 225_000): QueueItem {
  return {
    id: randomUUID(),
    guildId: '1',
    track: {
      id: `t-${title}`,
      title,
      artist: 'Band',
      album: null,
      artworkUrl: null,
      durationMs,
      provider: 'youtube',
      uri: 'https://example.com/x',
      metadata: {},
    },
    requestedBy: '4242',
    requestedAt: new Date(0).toISOString(),
    votes: 0,
    status: position === null ? 'playing' : 'queued',
    position,
    startedAt: null,
    endedAt: null,
  };
}

function view(overrides: Partial<PanelView['playback']> = {}, rest: Partial<PanelView> = {}): PanelView {
  const playing = item('Moonlight', null);
  return {
    playback: {
      state: 'playing',
      positionMs: 83_000,
      volume: 100,
      filter: { preset: null, eq: { bass: 0, mid: 0, treble: 0 }, speed: 1, label: 'off' },
      loop: 'off',
      voiceChannelId: '9',
      playing,
      ...overrides,
    },
    rating: { up: 3, down: 1 },
    upNext: [item('Second', 1), item('Third', 2)],
    queued: 2,
    ...rest,
  };
}

function json(v: PanelView) {
  const m = panelMessage(v);
  return { embeds: m.embeds.map((e) => e.toJSON()), components: m.components.map((c) => c.toJSON()) };
}

type Button = { custom_id: string; label: string; disabled?: boolean };
const buttons = (body: ReturnType<typeof json>) =>
  body.components.flatMap((row) => row.components as unknown as Button[]);

describe('the control panel, rendered from the playback state', () => {
  it('progress as text and a bar: 1:23 / 3:45', () => {
    expect(progressText(83_000, 225_000)).toBe('1:23 / 3:45');
    expect(progressText(300_000, 225_000)).toBe('3:45 / 3:45'); // never past the end
    expect(progressText(83_000, null)).toBe('1:23 / live');
    expect(progressText(83_000, null, false)).toBe('1:23'); // a file whose length is not known
    expect(progressBar(0, 225_000)).toBe('▱'.repeat(16));
    expect(progressBar(112_500, 225_000)).toBe('▰'.repeat(8) + '▱'.repeat(8));
    expect(progressBar(999_000, 225_000)).toBe('▰'.repeat(16));
    expect(progressBar(83_000, null)).toBe('');
  });

  it('a playing song: title, requester, progress, rating, up next, and the buttons that act on it', () => {
    const v = view();
    const body = json(v);
    const embed = body.embeds[0]!;
    expect(embed.title).toBe('Now playing');
    expect(embed.description).toBe(
      [
        '**Moonlight** — Band (3:45)',
        'Requested by <@4242>',
        `\`1:23 / 3:45\` ${'▰'.repeat(6)}${'▱'.repeat(10)}`,
        '👍 3 · 👎 1',
      ].join('\n'),
    );
    expect(embed.fields?.[0]?.value).toBe(
      '`#1` **Second** — Band (3:45) · <@4242>\n`#2` **Third** — Band (3:45) · <@4242>',
    );
    expect(embed.footer?.text).toBe('Loop: off · 2 queued');
    expect(buttons(body).map((b) => [b.custom_id, b.label, b.disabled ?? false])).toEqual([
      ['panel:pause', '⏸ Pause', false],
      ['panel:skip', '⏭ Skip', false],
      ['panel:stop', '⏹ Stop', false],
      ['panel:loop:track', '🔁 Loop: off', false],
      [`panel:rate:up:${v.playback.playing!.id}`, '👍 3', false],
      [`panel:rate:down:${v.playback.playing!.id}`, '👎 1', false],
    ]);
  });

  it('paused: ▶ Resume instead of ⏸; loop shows the mode and the press goes to the next one', () => {
    const body = json(view({ state: 'paused', loop: 'track' }));
    expect(body.embeds[0]!.title).toBe('Paused');
    const ids = buttons(body).map((b) => b.custom_id);
    expect(ids[0]).toBe('panel:resume');
    expect(ids[3]).toBe('panel:loop:queue');
    expect(buttons(json(view({ loop: 'queue' })))[3]!.custom_id).toBe('panel:loop:off');
  });

  it('nothing playing: the song buttons are disabled, stop too once out of voice', () => {
    const body = json(
      view({ state: 'idle', playing: null, positionMs: null, voiceChannelId: null }, { rating: null }),
    );
    expect(body.embeds[0]!.title).toBe('Nothing playing');
    expect(buttons(body).map((b) => b.disabled ?? false)).toEqual([true, true, true, false, true, true]);
    expect(buttons(body)[4]!.custom_id).toBe('panel:rate:up:-');
  });

  it('more queued than shown: "…and N more"; a live stream has no bar', () => {
    const body = json(
      view({ playing: item('Radio', null, null) }, { upNext: [item('Next', 1)], queued: 40 }),
    );
    expect(body.embeds[0]!.fields?.[0]?.value).toMatch(/\n…and 39 more in \/queue$/);
    expect(body.embeds[0]!.description).toContain('`1:23 / live`\n');
  });

  it('within Discord limits with long titles: custom ids, 5 buttons per row, and a body the strict fake accepts', () => {
    const long = 'Ω👨‍👩‍👧‍👦*_`'.repeat(200);
    const v = view(
      { playing: { ...item(long, null), requestedBy: '1'.repeat(20) } },
      { upNext: Array.from({ length: 5 }, (_, i) => item(long, i + 1)), queued: 5000 },
    );
    const body = json(v);
    expect(body.components.length).toBeLessThanOrEqual(LIMITS.rows);
    for (const row of body.components)
      expect(row.components.length).toBeLessThanOrEqual(LIMITS.buttonsPerRow);
    for (const b of buttons(body)) {
      expect(b.custom_id.length).toBeLessThanOrEqual(LIMITS.customId);
      expect(b.label.length).toBeLessThanOrEqual(LIMITS.buttonLabel);
    }
    expect(bodyProblems('PATCH', '/api/v10/channels/1/messages/2', body)).toEqual([]);
    expect(bodyProblems('POST', '/api/v10/channels/1/messages', body)).toEqual([]);
  });
});
