import {
  ApplicationIntegrationType,
  type ChatInputCommandInteraction,
  InteractionContextType,
  SlashCommandBuilder,
} from 'discord.js';
import { readAttachment } from '../src/discord/attachments.ts';
import type { Command, CommandContext, Reply } from '../src/discord/command.ts';
import { shown } from '../src/discord/format.ts';
import { fitLines, LIMITS } from '../src/discord/limits.ts';
import { CSV_MAX_BYTES, CSV_MAX_ENTRIES } from '../src/queue/blocklist-csv.ts';
import type { BlockKind } from '../src/storage/db/blocklist.ts';

const KINDS = [
  { name: 'track (a link or provider id)', value: 'track' },
  { name: 'artist', value: 'artist' },
  { name: 'keyword (a word or phrase in the title, artist or album)', value: 'keyword' },
] as const;

const LABEL: Record<BlockKind, string> = { track: 'Track', artist: 'Artist', keyword: 'Keyword' };

export const blocklist: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('blocklist')
    .setDescription('Tracks, artists and keywords that song requests may not queue (DJs)')
    .addSubcommand((s) =>
      s
        .setName('add')
        .setDescription('Block a track, an artist or a keyword')
        .addStringOption((o) =>
          o
            .setName('type')
            .setDescription('What the value is')
            .setRequired(true)
            .addChoices(...KINDS),
        )
        .addStringOption((o) =>
          o
            .setName('value')
            .setDescription('The link, artist or word(s)')
            .setRequired(true)
            .setMaxLength(200),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName('remove')
        .setDescription('Unblock a track, an artist or a keyword')
        .addStringOption((o) =>
          o
            .setName('type')
            .setDescription('What the value is')
            .setRequired(true)
            .addChoices(...KINDS),
        )
        .addStringOption((o) =>
          o.setName('value').setDescription('As it is on the list').setRequired(true).setMaxLength(200),
        ),
    )
    .addSubcommand((s) => s.setName('list').setDescription('What is blocked on this server'))
    .addSubcommand((s) =>
      s
        .setName('import')
        .setDescription(`Import a CSV file: type,value lines or one value a line (max 256 KB)`)
        .addAttachmentOption((o) =>
          o.setName('file').setDescription('The CSV file (UTF-8)').setRequired(true),
        )
        .addStringOption((o) =>
          o
            .setName('default_type')
            .setDescription('The type of a line that gives only a value (default artist)')
            .addChoices(...KINDS),
        ),
    )
    .toJSON(),
  defer: true,
  async execute(ctx) {
    const sub = ctx.interaction.options.getSubcommand();
    const run = HANDLERS[sub];
    if (!run) return { ephemeral: true, content: 'Unknown blocklist command.' };
    return run(ctx, ctx.interaction);
  },
};

const kindOf = (i: ChatInputCommandInteraction, name: string, required: boolean): BlockKind | null =>
  i.options.getString(name, required) as BlockKind | null;

const HANDLERS: Record<string, (ctx: CommandContext, i: ChatInputCommandInteraction) => Promise<Reply>> = {
  async add({ call, actions }, i) {
    const kind = kindOf(i, 'type', true)!;
    const out = await actions.blocklist.add(call, { kind, value: i.options.getString('value', true) });
    const what = `${LABEL[kind].toLowerCase()} **${shown(out.entry.value)}**`;
    return {
      ephemeral: true,
      content: out.added
        ? `🚫 Blocked the ${what}. Requests that match it are refused (${out.total} entries on the list).`
        : `The ${what} was already blocked.`,
    };
  },
  async remove({ call, actions }, i) {
    const kind = kindOf(i, 'type', true)!;
    const value = i.options.getString('value', true);
    const out = await actions.blocklist.remove(call, { kind, value });
    return {
      ephemeral: true,
      content: `Unblocked the ${LABEL[kind].toLowerCase()} **${shown(value)}** (${out.total} entries left).`,
    };
  },
  async list({ call, actions }) {
    const entries = await actions.blocklist.list(call);
    if (entries.length === 0) return { ephemeral: true, content: 'Nothing is blocked on this server.' };
    const head = `**Block list** (${entries.length} entries)`;
    const lines = entries.map((e) => `${LABEL[e.kind]}: ${shown(e.value)}`);
    const body = fitLines(
      lines,
      LIMITS.content - head.length - 1,
      (n) => `…and ${n} more (GET /api/v1/blocklist)`,
    );
    return { ephemeral: true, content: `${head}\n${body}` };
  },
  async import({ call, actions }, i) {
    const file = i.options.getAttachment('file', true);
    const csv = await readAttachment(file, CSV_MAX_BYTES);
    const defaultKind = kindOf(i, 'default_type', false) ?? 'artist';
    const out = await actions.blocklist.import(call, { csv, defaultKind });
    const existing = out.existing > 0 ? `, ${out.existing} already there` : '';
    return {
      ephemeral: true,
      content: `🚫 Imported **${shown(file.name, 100)}**: ${out.added} new entries${existing}. The list has ${out.total} entries (an import takes at most ${CSV_MAX_ENTRIES}).`,
    };
  },
};
