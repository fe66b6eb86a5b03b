import {
  ApplicationIntegrationType,
  type ChatInputCommandInteraction,
  InteractionContextType,
  SlashCommandBuilder,
  type SlashCommandStringOption,
} from 'discord.js';
import type { PlaylistScope, SaveResult } from '../src/actions/index.ts';
import type { Command, CommandContext, Reply } from '../src/discord/command.ts';
import { duration, shownName, trackLine } from '../src/discord/format.ts';
import { fitLabel, fitLines, LIMITS } from '../src/discord/limits.ts';
import { PLAYLIST_LIMITS } from '../src/storage/db/playlists.ts';

/** Songs on one page of /playlist show. */
export const SHOW_PAGE_SIZE = 15;

const nameOption = (o: SlashCommandStringOption, autocomplete: boolean) =>
  o
    .setName('name')
    .setDescription(autocomplete ? 'The playlist' : 'Its name (unique among the playlists it goes with)')
    .setRequired(true)
    .setMaxLength(PLAYLIST_LIMITS.nameLength)
    .setAutocomplete(autocomplete);

const scopeOption = (o: SlashCommandStringOption, what: string) =>
  o
    .setName('scope')
    .setDescription(what)
    .addChoices({ name: 'the server', value: 'guild' }, { name: 'mine', value: 'me' });

export const playlist: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('playlist')
    .setDescription('Saved playlists of this server and your own')
    .addSubcommand((s) =>
      s
        .setName('save')
        .setDescription(`Save the queue or the history as a playlist (up to ${PLAYLIST_LIMITS.tracks} songs)`)
        .addStringOption((o) => nameOption(o, false))
        .addStringOption((o) =>
          o
            .setName('from')
            .setDescription('What to save (default: the queue)')
            .addChoices({ name: 'the queue', value: 'queue' }, { name: 'the history', value: 'history' }),
        )
        .addStringOption((o) => scopeOption(o, "The server's playlist (default) or your own")),
    )
    .addSubcommand((s) =>
      s
        .setName('load')
        .setDescription('Queue a saved playlist (up to the queue limits)')
        .addStringOption((o) => nameOption(o, true))
        .addStringOption((o) => scopeOption(o, 'Whose playlist (default: yours, else the server’s)')),
    )
    .addSubcommand((s) => s.setName('list').setDescription("The server's playlists and your own"))
    .addSubcommand((s) =>
      s
        .setName('show')
        .setDescription("A playlist's songs")
        .addStringOption((o) => nameOption(o, true))
        .addIntegerOption((o) => o.setName('page').setDescription('Which page').setMinValue(1))
        .addStringOption((o) => scopeOption(o, 'Whose playlist (default: yours, else the server’s)')),
    )
    .addSubcommand((s) =>
      s
        .setName('delete')
        .setDescription("Delete a playlist (the server's: whoever saved it, or DJs)")
        .addStringOption((o) => nameOption(o, true))
        .addStringOption((o) => scopeOption(o, 'Whose playlist (default: yours, else the server’s)')),
    )
    .addSubcommand((s) =>
      s
        .setName('import')
        .setDescription(
          `Save a YouTube, SoundCloud or Spotify playlist (up to ${PLAYLIST_LIMITS.tracks} songs)`,
        )
        .addStringOption((o) =>
          o.setName('link').setDescription('The playlist link').setRequired(true).setMaxLength(500),
        )
        .addStringOption((o) => nameOption(o, false))
        .addStringOption((o) => scopeOption(o, "The server's playlist (default) or your own")),
    )
    .toJSON(),
  defer: true,
  async execute(ctx) {
    const run = HANDLERS[ctx.interaction.options.getSubcommand()];
    if (!run) return { ephemeral: true, content: 'Unknown playlist command.' };
    return run(ctx, ctx.interaction);
  },
  async autocomplete({ call, actions, interaction }) {
    const typed = String(interaction.options.getFocused()).toLowerCase();
    const mine = call.actor.userId;
    return (await actions.playlists.list(call))
      .filter((p) => p.name.toLowerCase().includes(typed))
      .slice(0, LIMITS.choices)
      .map((p) => ({
        name: fitLabel(
          `${p.name} · ${p.trackCount} songs${p.owner === 'guild' ? '' : p.owner === mine ? ' (yours)' : ''}`,
          'choice',
        ),
        value: p.name,
      }));
  },
};

const scopeOf = (i: ChatInputCommandInteraction) =>
  (i.options.getString('scope') as PlaylistScope | null) ?? undefined;

const whose = (owner: string) => (owner === 'guild' ? 'the server playlist' : 'your playlist');

const HANDLERS: Record<string, (ctx: CommandContext, i: ChatInputCommandInteraction) => Promise<Reply>> = {
  async save({ call, actions }, i) {
    const from = (i.options.getString('from') as 'queue' | 'history' | null) ?? 'queue';
    const result = await actions.playlists.save(call, {
      name: i.options.getString('name', true),
      from,
      ...(scopeOf(i) ? { scope: scopeOf(i) } : {}),
    });
    return { content: savedText(result, from === 'queue' ? 'from the queue' : 'from the history') };
  },
  async import({ call, actions }, i) {
    const result = await actions.playlists.import(call, {
      link: i.options.getString('link', true),
      name: i.options.getString('name', true),
      ...(scopeOf(i) ? { scope: scopeOf(i) } : {}),
    });
    return { content: savedText(result, 'from the link') };
  },
  async load({ call, actions }, i) {
    const { playlist: p, add } = await actions.playlists.load(call, {
      name: i.options.getString('name', true),
      ...(scopeOf(i) ? { scope: scopeOf(i) } : {}),
    });
    const first = add.added[0]!;
    const where =
      add.playback === 'waiting-for-voice' ? '\nJoin a voice channel and /play to start listening.' : '';
    const left =
      add.notQueued > 0
        ? `\n${add.notQueued} not queued: ${add.notQueuedReason?.message ?? 'over the limit.'}`
        : '';
    return {
      content: `📜 Queued **${add.added.length}** of **${p.trackCount}** songs from **${shownName(p.name)}**, the first at position **#${first.position}**.${where}${left}`,
    };
  },
  async list({ call, actions }) {
    const all = await actions.playlists.list(call);
    if (all.length === 0)
      return { ephemeral: true, content: 'No playlists yet. /playlist save or /playlist import makes one.' };
    const lines = all.map(
      (p) =>
        `• **${shownName(p.name)}** · ${p.trackCount} songs · ${duration(p.durationMs)}${p.owner === 'guild' ? '' : ' (yours)'}`,
    );
    const head = '**Playlists**\n';
    return {
      ephemeral: true,
      content: `${head}${fitLines(lines, LIMITS.content - head.length, (n) => `…and ${n} more`)}`,
    };
  },
  async show({ call, actions }, i) {
    const p = await actions.playlists.show(call, {
      name: i.options.getString('name', true),
      ...(scopeOf(i) ? { scope: scopeOf(i) } : {}),
    });
    const pages = Math.max(1, Math.ceil(p.tracks.length / SHOW_PAGE_SIZE));
    const page = Math.min(i.options.getInteger('page') ?? 1, pages);
    const start = (page - 1) * SHOW_PAGE_SIZE;
    const lines = p.tracks
      .slice(start, start + SHOW_PAGE_SIZE)
      .map((track, n) => `${start + n + 1}. ${trackLine({ track }, true)}`);
    const head = `📜 **${shownName(p.name)}** (${p.owner === 'guild' ? 'server' : 'yours'}) · ${p.trackCount} songs · ${duration(p.durationMs)} · page ${page}/${pages}\n`;
    return {
      ephemeral: true,
      content: `${head}${fitLines(lines, LIMITS.content - head.length, (n) => `…and ${n} more on this page`)}`,
    };
  },
  async delete({ call, actions }, i) {
    const p = await actions.playlists.delete(call, {
      name: i.options.getString('name', true),
      ...(scopeOf(i) ? { scope: scopeOf(i) } : {}),
    });
    return { ephemeral: true, content: `Deleted ${whose(p.owner)} **${shownName(p.name)}**.` };
  },
};

/** What a save or an import says: what was kept, and what was left out past the cap. */
function savedText(result: SaveResult, from: string): string {
  const p = result.playlist;
  const left =
    result.leftOut === null
      ? `\nThe playlist is longer than ${PLAYLIST_LIMITS.tracks} songs: the first ${PLAYLIST_LIMITS.tracks} were saved, the rest left out.`
      : result.leftOut > 0
        ? `\n${result.leftOut} more left out: a playlist holds ${PLAYLIST_LIMITS.tracks} songs at most.`
        : '';
  return `📜 Saved **${p.trackCount}** songs ${from} as ${whose(p.owner)} **${shownName(p.name)}**.${left}`;
}
