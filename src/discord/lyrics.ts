import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type EmbedBuilder,
  type MessageActionRowComponentBuilder,
} from 'discord.js';
import type { LyricsResult } from '../actions/index.ts';
import { lrcTime } from '../lyrics/lrc.ts';
import type { Lyrics } from '../lyrics/service.ts';
import type { ComponentRow, Reply } from './command.ts';
import { ACCENT, escapeMarkdown, fittedEmbed, shown } from './format.ts';
import { cut, LIMITS } from './limits.ts';

/** `lyrics:<LRCLIB id>:<p|s>:<page>:<prev|next>`: the buttons carry all they need, so they outlive a restart. */
const BUTTON = /^lyrics:(\d{1,15}):([ps]):(\d{1,5}):(prev|next)$/;

/** A page of lyrics leaves room under the embed description limit for nothing else to be cut. */
export const LYRICS_PAGE_CHARS = LIMITS.embedDescription - 96;

/** The lines of a song's lyrics as shown: escaped, and with their times when `synced`. */
function shownLines(lyrics: Lyrics, synced: boolean): string[] {
  if (synced && lyrics.synced) {
    return lyrics.synced.map((l) => `\`${lrcTime(l.ms)}\` ${escapeMarkdown(l.text) || '♪'}`);
  }
  return (lyrics.plain ?? '').split(/\r\n|\r|\n/).map((l) => escapeMarkdown(l.trim()));
}

/** Whole lines packed into pages of at most {@link LYRICS_PAGE_CHARS}; a line longer than a page is cut. */
export function lyricsPages(lyrics: Lyrics, synced: boolean): string[] {
  const pages: string[] = [];
  let page = '';
  for (const raw of shownLines(lyrics, synced)) {
    const line = cut(raw, LYRICS_PAGE_CHARS);
    const next = page === '' ? line : `${page}\n${line}`;
    if (next.length > LYRICS_PAGE_CHARS) {
      pages.push(page);
      page = line;
    } else page = next;
  }
  if (page.trim() !== '' || pages.length === 0) pages.push(page);
  return pages;
}

/** The reply for one page of a song's lyrics, with ◀/▶ buttons when there is more than one. */
export function lyricsReply(result: LyricsResult, options: { synced: boolean; page: number }): Reply {
  const { lyrics } = result;
  const who = `${shown(lyrics.title)} — ${shown(lyrics.artist, 100)}`;
  if (lyrics.instrumental) {
    return { ephemeral: true, content: `**${who}** is an instrumental: there are no lyrics to show.` };
  }
  const synced = options.synced && lyrics.synced !== null;
  const pages = lyricsPages(lyrics, synced);
  const index = Math.min(Math.max(0, options.page), pages.length - 1);
  const notes = [
    `Page ${index + 1}/${pages.length}`,
    synced ? 'synced' : options.synced ? 'no synced lyrics: plain' : null,
    'LRCLIB',
  ].filter(Boolean);
  const embed: EmbedBuilder = fittedEmbed({
    title: cut(`${lyrics.title} — ${lyrics.artist}`, LIMITS.embedTitle),
    description: pages[index] || '\u200b',
    color: ACCENT,
    footer: { text: notes.join(' · ') },
  });
  return {
    embeds: [embed],
    components: pages.length > 1 ? [pageButtons(lyrics.id, synced, index, pages.length)] : [],
  };
}

function pageButtons(id: number, synced: boolean, page: number, pages: number): ComponentRow {
  const mode = synced ? 's' : 'p';
  return new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(`lyrics:${id}:${mode}:${Math.max(0, page - 1)}:prev`)
      .setLabel('◀ Previous')
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(page === 0),
    new ButtonBuilder()
      .setCustomId(`lyrics:${id}:${mode}:${Math.min(pages - 1, page + 1)}:next`)
      .setLabel('Next ▶')
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(page >= pages - 1),
  );
}

/** A page button's custom id read back, or null when it is not one. */
export function parseLyricsButton(customId: string): { id: number; synced: boolean; page: number } | null {
  const m = BUTTON.exec(customId);
  if (!m) return null;
  return { id: Number(m[1]), synced: m[2] === 's', page: Number(m[3]) };
}
