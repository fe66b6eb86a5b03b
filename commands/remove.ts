import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { trackLine } from '../src/discord/format.ts';
import { requireOwnerOrDj } from '../src/discord/permissions.ts';
import { autocompleteItem, itemOption } from './shared.ts';

export const remove: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('remove')
    .setDescription('Remove a song from the queue (your own, or any for DJs)')
    .addStringOption(itemOption)
    .toJSON(),
  autocomplete: autocompleteItem,
  async execute({ guildId, member, services, interaction }) {
    const item = await services.queue.find(guildId, interaction.options.getString('item', true));
    requireOwnerOrDj(member, item.requestedBy);
    await services.queue.remove(guildId, item.id);
    return { content: `Removed ${trackLine(item)} from the queue.` };
  },
};
