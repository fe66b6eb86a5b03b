import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { requireDj } from '../src/discord/permissions.ts';

export const shuffle: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('shuffle')
    .setDescription('Shuffle the queue; later votes still move songs up or down (DJs)')
    .toJSON(),
  async execute({ guildId, member, services }) {
    requireDj(member, (await services.settings.get(guildId)).djRoleId);
    const count = await services.queue.shuffle(guildId);
    return { content: count < 2 ? 'Nothing to shuffle.' : `Shuffled ${count} songs.` };
  },
};
