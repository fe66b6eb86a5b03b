import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { duration, trackLine } from '../src/discord/format.ts';
import { parseTimestamp } from '../src/playback/timestamp.ts';

export const seek: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('seek')
    .setDescription('Jump to a time in the playing song (DJs)')
    .addStringOption((o) =>
      o
        .setName('time')
        .setDescription('Where to go: 1:23, 0:01:23 or 83 (seconds)')
        .setRequired(true)
        .setMaxLength(12),
    )
    .toJSON(),
  async execute({ call, actions, interaction }) {
    const at = parseTimestamp(interaction.options.getString('time', true));
    const { item, positionMs } = await actions.playback.seek(call, { positionMs: at });
    return { content: `Jumped to ${duration(positionMs)} in ${trackLine(item)}.` };
  },
};
