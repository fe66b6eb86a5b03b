import { type APIEmbed, EmbedBuilder } from 'discord.js';
import type { QueueItem } from '../core/track.ts';
import type { QueuePage, QueueStats } from '../queue/service.ts';
import { cut, fitEmbeds, fitLines, LIMITS } from './limits.ts';

export const ACCENT = 0x8b5cf6;

/** How much of a title or artist a line shows (escaped); a list shows less of each song. */
const SHOWN = { title: 200, artist: 100, name: 100 } as const;
const SHOWN_IN_LIST = { title: 90, artist: 40 } as const;

export function duration(ms: number | null): string {
  if (ms === null) return 'live';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Text from a song or a person, markdown-escaped and cut (by grapheme, with an ellipsis) to `max`. */
export function shown(text: string, max: number = SHOWN.title): string {
  return cut(escapeMarkdown(text), max);
}

/** A name (a station, a device, an account), escaped and cut to fit a line. */
export function shownName(text: string): string {
  return shown(text, SHOWN.name);
}

/** A song title in bold, escaped and cut to fit a line. */
export function boldTitle(title: string, max: number = SHOWN.title): string {
  return `**${shown(title, max)}**`;
}

/**
 * "Title — Artist (3:33)", with Discord markdown escaped and long titles cut; "(live)" for streams,
 * nothing when unknown. `inList` shows less of each song, for lists of many.
 */
export function trackLine(item: Pick<QueueItem, 'track'>, inList = false): string {
  const t = item.track;
  const max = inList ? SHOWN_IN_LIST : SHOWN;
  const artist = t.artist ? ` — ${shown(t.artist, max.artist)}` : '';
  const length =
    t.durationMs !== null ? ` (${duration(t.durationMs)})` : t.metadata.live === false ? '' : ' (live)';
  return `${boldTitle(t.title, max.title)}${artist}${length}`;
}

/** Who asked for an item: a Discord mention, or a Twitch viewer's name marked as such. */
export function requesterOf(item: Pick<QueueItem, 'requestedBy' | 'requester'>): string {
  if (item.requester?.source === 'twitch') return `${shown(item.requester.name, 40)} (Twitch)`;
  return `<@${item.requestedBy}>`;
}

export function votes(n: number): string {
  return `${n > 0 ? '+' : ''}${n}`;
}

export function escapeMarkdown(text: string): string {
  return text.replace(/([\\*_`~|>[\]()])/g, '\\$1');
}

/** An embed built from its JSON after cutting every part to Discord's limits. */
export function fittedEmbed(json: APIEmbed): EmbedBuilder {
  return new EmbedBuilder(fitEmbeds([json])[0]);
}

export function queueEmbed(page: QueuePage): EmbedBuilder {
  const lines = page.items.map(
    (i) => `\`#${i.position}\` ${trackLine(i, true)} · ${votes(i.votes)} · ${requesterOf(i)}`,
  );
  const description =
    lines.length > 0
      ? fitLines(lines, LIMITS.embedDescription, (n) => `…and ${n} more on this page`)
      : 'The queue is empty. Add a song with /play.';
  return fittedEmbed({
    color: ACCENT,
    title: 'Queue',
    description,
    footer: { text: `Page ${page.page} of ${page.pages} · ${page.total} queued` },
    ...(page.playing ? { fields: [{ name: 'Now playing', value: trackLine(page.playing) }] } : {}),
  });
}

export function statsEmbed(stats: QueueStats): EmbedBuilder {
  const c = stats.counts;
  const top =
    fitLines(
      stats.topTracks.map((t, i) => `${i + 1}. ${boldTitle(t.title, SHOWN_IN_LIST.title)} (${t.plays})`),
      LIMITS.fieldValue,
      (n) => `…and ${n} more`,
    ) || '—';
  const people =
    fitLines(
      stats.topRequesters.map(
        (r, i) =>
          `${i + 1}. ${r.userId.startsWith('twitch:') ? `Twitch viewer ${r.userId.slice(7)}` : `<@${r.userId}>`} (${r.count})`,
      ),
      LIMITS.fieldValue,
      (n) => `…and ${n} more`,
    ) || '—';
  return fittedEmbed({
    color: ACCENT,
    title: 'Music stats',
    fields: [
      {
        name: 'Songs',
        value: `${c.queued} queued · ${c.playing} playing · ${c.played} played · ${c.skipped} skipped`,
      },
      {
        name: 'Listening',
        value: `${duration(stats.totalPlayedMs)} in all · average ${duration(stats.averagePlayedMs ?? 0)}`,
      },
      { name: 'Requesters', value: `${stats.uniqueRequesters} people · ${stats.votes} votes cast` },
      { name: 'Top songs', value: top, inline: true },
      { name: 'Top requesters', value: people, inline: true },
    ],
  });
}
