import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { statsEmbed } from '../src/discord/format.ts';

export const stats: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('stats')
    .setDescription('Queue statistics for this server')
    .toJSON(),
  async execute({ call, actions }) {
    return { embeds: [statsEmbed(await actions.queue.stats(call))] };
  },
};
