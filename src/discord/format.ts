import { EmbedBuilder } from 'discord.js';
import type { QueueItem } from '../core/track.ts';
import type { QueuePage, QueueStats } from '../queue/service.ts';

export const ACCENT = 0x8b5cf6;

export function duration(ms: number | null): string {
  if (ms === null) return 'live';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** "Title — Artist (3:33)", with Discord markdown escaped; "(live)" for streams, nothing when unknown. */
export function trackLine(item: QueueItem): string {
  const t = item.track;
  const artist = t.artist ? ` — ${escapeMarkdown(t.artist)}` : '';
  const length =
    t.durationMs !== null ? ` (${duration(t.durationMs)})` : t.metadata.live === false ? '' : ' (live)';
  return `**${escapeMarkdown(t.title)}**${artist}${length}`;
}

export function votes(n: number): string {
  return `${n > 0 ? '+' : ''}${n}`;
}

export function escapeMarkdown(text: string): string {
  return text.replace(/([\\*_`~|>[\]()])/g, '\\$1');
}

export function queueEmbed(page: QueuePage): EmbedBuilder {
  const lines = page.items.map(
    (i) => `\`#${i.position}\` ${trackLine(i)} · ${votes(i.votes)} · <@${i.requestedBy}>`,
  );
  const embed = new EmbedBuilder()
    .setColor(ACCENT)
    .setTitle('Queue')
    .setDescription(lines.length > 0 ? lines.join('\n') : 'The queue is empty. Add a song with /play.')
    .setFooter({ text: `Page ${page.page} of ${page.pages} · ${page.total} queued` });
  if (page.playing) embed.addFields({ name: 'Now playing', value: trackLine(page.playing) });
  return embed;
}

export function statsEmbed(stats: QueueStats): EmbedBuilder {
  const c = stats.counts;
  const top =
    stats.topTracks.map((t, i) => `${i + 1}. **${escapeMarkdown(t.title)}** (${t.plays})`).join('\n') || '—';
  const people = stats.topRequesters.map((r, i) => `${i + 1}. <@${r.userId}> (${r.count})`).join('\n') || '—';
  return new EmbedBuilder()
    .setColor(ACCENT)
    .setTitle('Music stats')
    .addFields(
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
    );
}
