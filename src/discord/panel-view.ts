import {
  ActionRowBuilder,
  type APIEmbed,
  ButtonBuilder,
  ButtonStyle,
  type EmbedBuilder,
  type MessageActionRowComponentBuilder,
} from 'discord.js';
import type { PanelView } from '../actions/index.ts';
import type { LoopMode } from '../playback/player.ts';
import type { ComponentRow } from './command.ts';
import { ACCENT, duration, fittedEmbed, trackLine } from './format.ts';
import { fitLines, LIMITS } from './limits.ts';

/** Every control panel button's custom id starts with this. */
export const PANEL_PREFIX = 'panel:';
export const PANEL_IDS = {
  pause: 'panel:pause',
  resume: 'panel:resume',
  skip: 'panel:skip',
  stop: 'panel:stop',
  /** `panel:loop:<mode>`: the mode the press switches to. */
  loop: (to: LoopMode) => `panel:loop:${to}`,
  /** `panel:rate:up:<item id>`: the song the member saw playing (`-` when none). */
  rate: (dir: 'up' | 'down', itemId: string | null) => `panel:rate:${dir}:${itemId ?? '-'}`,
} as const;

/** What one press of the loop button switches to: off -> song -> queue -> off. */
export const NEXT_LOOP: Record<LoopMode, LoopMode> = { off: 'track', track: 'queue', queue: 'off' };
const LOOP_SHOWN: Record<LoopMode, string> = { off: 'off', track: 'song', queue: 'queue' };

/** Width of the progress bar, in characters. */
const BAR = 16;

/** A text progress bar, e.g. `▰▰▰▰▱▱▱▱▱▱▱▱▱▱▱▱`; empty for a live stream or an unknown length. */
export function progressBar(positionMs: number, durationMs: number | null): string {
  if (durationMs === null || durationMs <= 0) return '';
  const done = Math.min(BAR, Math.max(0, Math.round((positionMs / durationMs) * BAR)));
  return '▰'.repeat(done) + '▱'.repeat(BAR - done);
}

/** `1:23 / 3:45`; `1:23 / live` for a stream, and `1:23` alone for a file of unknown length. */
export function progressText(positionMs: number, durationMs: number | null, live = true): string {
  if (durationMs === null) return live ? `${duration(positionMs)} / live` : duration(positionMs);
  return `${duration(Math.min(positionMs, durationMs))} / ${duration(durationMs)}`;
}

function heading(state: string, playing: boolean): string {
  if (!playing) return 'Nothing playing';
  return state === 'paused' ? 'Paused' : 'Now playing';
}

/** The panel's embed: the playing song with its requester, progress and rating, and the next songs. */
export function panelEmbed(view: PanelView): EmbedBuilder {
  const { playback, rating, upNext, queued } = view;
  const item = playback.playing;
  const lines: string[] = [];
  if (item) {
    const at = playback.positionMs ?? 0;
    const bar = progressBar(at, item.track.durationMs);
    lines.push(trackLine(item), `Requested by <@${item.requestedBy}>`);
    const text = progressText(at, item.track.durationMs, item.track.metadata.live !== false);
    lines.push(`\`${text}\`${bar ? ` ${bar}` : ''}`);
    if (rating) lines.push(`👍 ${rating.up} · 👎 ${rating.down}`);
  } else {
    lines.push(queued > 0 ? 'Press /play in a voice channel to start the queue.' : 'Add a song with /play.');
  }
  const next = upNext.map((i) => `\`#${i.position}\` ${trackLine(i, true)} · <@${i.requestedBy}>`);
  const more = queued - upNext.length;
  if (more > 0) next.push(`…and ${more} more in /queue`);
  const json: APIEmbed = {
    color: ACCENT,
    title: heading(playback.state, item !== null),
    description: lines.join('\n'),
    fields: [
      {
        name: 'Up next',
        value:
          next.length > 0 ? fitLines(next, LIMITS.fieldValue, (n) => `…and ${n} more`) : 'Nothing queued.',
      },
    ],
    footer: { text: `Loop: ${LOOP_SHOWN[playback.loop]} · ${queued} queued` },
  };
  return fittedEmbed(json);
}

function button(id: string, label: string, style: ButtonStyle, disabled = false): ButtonBuilder {
  return new ButtonBuilder().setCustomId(id).setLabel(label).setStyle(style).setDisabled(disabled);
}

/**
 * The panel's buttons, two rows within Discord's 5 per row: pause or resume, skip, stop, loop; then 👍
 * and 👎 for the playing song (its id in the custom id, so a press always rates the song it showed).
 */
export function panelComponents(view: PanelView): ComponentRow[] {
  const { playback, rating } = view;
  const item = playback.playing;
  const idle = item === null;
  const paused = playback.state === 'paused';
  const controls = [
    paused
      ? button(PANEL_IDS.resume, '▶ Resume', ButtonStyle.Success, idle)
      : button(PANEL_IDS.pause, '⏸ Pause', ButtonStyle.Secondary, idle),
    button(PANEL_IDS.skip, '⏭ Skip', ButtonStyle.Primary, idle),
    button(PANEL_IDS.stop, '⏹ Stop', ButtonStyle.Danger, idle && playback.voiceChannelId === null),
    button(
      PANEL_IDS.loop(NEXT_LOOP[playback.loop]),
      `🔁 Loop: ${LOOP_SHOWN[playback.loop]}`,
      playback.loop === 'off' ? ButtonStyle.Secondary : ButtonStyle.Success,
    ),
  ];
  const ratings = [
    button(PANEL_IDS.rate('up', item?.id ?? null), `👍 ${rating?.up ?? 0}`, ButtonStyle.Secondary, idle),
    button(PANEL_IDS.rate('down', item?.id ?? null), `👎 ${rating?.down ?? 0}`, ButtonStyle.Secondary, idle),
  ];
  return [
    new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(...controls),
    new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(...ratings),
  ];
}

/** The whole panel message: one embed and two rows of buttons. */
export function panelMessage(view: PanelView): { embeds: EmbedBuilder[]; components: ComponentRow[] } {
  return { embeds: [panelEmbed(view)], components: panelComponents(view) };
}
