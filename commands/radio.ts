import {
  ApplicationIntegrationType,
  type ChatInputCommandInteraction,
  InteractionContextType,
  SlashCommandBuilder,
} from 'discord.js';
import type { Command, CommandContext, Reply } from '../src/discord/command.ts';
import { shown, shownName } from '../src/discord/format.ts';
import { fitLines, LIMITS } from '../src/discord/limits.ts';

const PROVIDERS = ['icecast', 'shoutcast', 'pretzel', 'epidemic', 'monstercat', 'streambeats', 'json'];

export const radio: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('radio')
    .setDescription('Internet radio stations of this server')
    .addSubcommand((s) =>
      s
        .setName('play')
        .setDescription('Play a station (switches to radio mode; DJs)')
        .addStringOption((o) =>
          o.setName('name').setDescription('The station').setRequired(true).setMaxLength(100),
        ),
    )
    .addSubcommand((s) => s.setName('stop').setDescription('Stop the station (DJs)'))
    .addSubcommand((s) => s.setName('nowplaying').setDescription('What the station is playing'))
    .addSubcommand((s) => s.setName('list').setDescription('The stations of this server'))
    .addSubcommand((s) =>
      s
        .setName('add')
        .setDescription('Add or replace a station (admins)')
        .addStringOption((o) =>
          o.setName('name').setDescription('Its name').setRequired(true).setMaxLength(100),
        )
        .addStringOption((o) =>
          o
            .setName('url')
            .setDescription('The stream URL (Icecast, Shoutcast, HTTP audio)')
            .setRequired(true),
        )
        .addStringOption((o) =>
          o
            .setName('provider')
            .setDescription('Where now-playing comes from besides the stream (default icecast)')
            .addChoices(...PROVIDERS.map((p) => ({ name: p, value: p }))),
        )
        .addStringOption((o) => o.setName('api_endpoint').setDescription("The station's now-playing API URL"))
        .addStringOption((o) => o.setName('api_key').setDescription('Its API key (never shown back)'))
        .addStringOption((o) =>
          o
            .setName('metadata_path')
            .setDescription('For json: title=a.b;artist=a.c;thumbnail_url=a.d (dotted paths)'),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName('remove')
        .setDescription('Delete a station (admins)')
        .addStringOption((o) =>
          o.setName('name').setDescription('The station').setRequired(true).setMaxLength(100),
        ),
    )
    .toJSON(),
  defer: true,
  async execute(ctx) {
    const sub = ctx.interaction.options.getSubcommand();
    const run = HANDLERS[sub];
    if (!run) return { ephemeral: true, content: 'Unknown radio command.' };
    return run(ctx, ctx.interaction);
  },
};

const HANDLERS: Record<string, (ctx: CommandContext, i: ChatInputCommandInteraction) => Promise<Reply>> = {
  async play({ call, actions, channelId }, i) {
    const name = i.options.getString('name', true);
    const status = await actions.radio.play(call, { station: name, noticeChannelId: channelId });
    const where = status?.inVoice ? '' : '\nJoin a voice channel and run this again to hear it here.';
    return { content: `📻 Tuned in to **${shownName(name)}**.${where}` };
  },
  async stop({ call, actions }) {
    if (!(await actions.radio.stop(call))) return { ephemeral: true, content: 'No station is playing.' };
    return { content: '📻 Radio stopped.' };
  },
  async nowplaying({ call, actions }) {
    const status = await actions.radio.status(call);
    if (!status) return { ephemeral: true, content: 'No station is playing. /radio play starts one.' };
    const np = status.nowPlaying;
    const song = np?.title
      ? `**${shown(np.title)}**${np.artist ? ` — ${shownName(np.artist)}` : ''}`
      : 'no song title yet';
    const state = status.state === 'reconnecting' ? ` (reconnecting: ${status.reason})` : '';
    return { content: `📻 **${shownName(status.station.name)}**: ${song}${state}` };
  },
  async list({ call, actions }) {
    const stations = await actions.radio.stations(call);
    if (stations.length === 0)
      return { ephemeral: true, content: 'No stations yet. Admins add them with /radio add.' };
    const lines = stations.map(
      (s) =>
        `• **${shownName(s.name)}** (${s.provider}${s.apiKey ? ', API key set' : ''})${s.enabled ? '' : ' — off'}`,
    );
    return {
      ephemeral: true,
      content: fitLines(lines, LIMITS.content, (n) => `…and ${n} more stations`),
    };
  },
  async add({ call, actions }, i) {
    const station = await actions.radio.saveStation(call, {
      name: i.options.getString('name', true),
      streamUrl: i.options.getString('url', true),
      provider: i.options.getString('provider') ?? 'icecast',
      apiEndpoint: i.options.getString('api_endpoint'),
      apiKey: i.options.getString('api_key'),
      metadataPath: i.options.getString('metadata_path'),
    });
    return { ephemeral: true, content: `Saved the station **${shownName(station.name)}**.` };
  },
  async remove({ call, actions }, i) {
    const name = i.options.getString('name', true);
    await actions.radio.removeStation(call, { name });
    return { ephemeral: true, content: `Deleted the station **${shownName(name)}**.` };
  },
};
