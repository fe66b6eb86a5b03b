import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';

export const volume: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('volume')
    .setDescription('Show or set the volume, 0-100 (DJs set it)')
    .addIntegerOption((o) =>
      o.setName('percent').setDescription('New volume, 0-100').setMinValue(0).setMaxValue(100),
    )
    .toJSON(),
  async execute({ call, actions, interaction }) {
    const wanted = interaction.options.getInteger('percent');
    if (wanted === null)
      return { ephemeral: true, content: `Volume: ${await actions.playback.volume(call)}%.` };
    const set = await actions.playback.setVolume(call, { volume: wanted });
    return { content: `Volume set to ${set}%.` };
  },
};
