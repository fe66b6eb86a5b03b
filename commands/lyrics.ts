import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { lyricsReply } from '../src/discord/lyrics.ts';

export const lyrics: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('lyrics')
    .setDescription("The playing song's lyrics, or a song's you name (from LRCLIB)")
    .addStringOption((o) =>
      o
        .setName('query')
        .setDescription('Title and artist to look up (default: the playing song)')
        .setMaxLength(200),
    )
    .addBooleanOption((o) => o.setName('synced').setDescription('Show each line with its time'))
    .toJSON(),
  // LRCLIB may take longer than Discord's 3-second window.
  defer: true,
  async execute({ call, actions, interaction }) {
    const query = interaction.options.getString('query') ?? undefined;
    const synced = interaction.options.getBoolean('synced') ?? false;
    const result = await actions.lyrics.find(call, query ? { query } : {});
    return lyricsReply(result, { synced, page: 0 });
  },
};
