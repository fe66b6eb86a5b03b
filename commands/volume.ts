import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { requireDj } from '../src/discord/permissions.ts';

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
  async execute({ guildId, member, services, interaction }) {
    const settings = await services.settings.get(guildId);
    const wanted = interaction.options.getInteger('percent');
    if (wanted === null) {
      return {
        ephemeral: true,
        content: `Volume: ${services.playback.volume(guildId) ?? settings.defaultVolume}%.`,
      };
    }
    requireDj(member, settings.djRoleId);
    const set = await services.playback.setVolume(guildId, wanted);
    return { content: `Volume set to ${set}%.` };
  },
};
