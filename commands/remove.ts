import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { trackLine } from '../src/discord/format.ts';
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
  async execute({ call, actions, interaction }) {
    const item = await actions.queue.remove(call, { item: interaction.options.getString('item', true) });
    return { content: `Removed ${trackLine(item)} from the queue.` };
  },
};
