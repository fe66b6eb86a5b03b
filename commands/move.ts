import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { trackLine } from '../src/discord/format.ts';
import { autocompleteItem, itemOption } from './shared.ts';

export const move: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('move')
    .setDescription('Move a queued song to another position (DJs)')
    .addStringOption(itemOption)
    .addIntegerOption((o) =>
      o.setName('position').setDescription('New position, 1 = next').setRequired(true).setMinValue(1),
    )
    .toJSON(),
  autocomplete: autocompleteItem,
  async execute({ call, actions, interaction }) {
    const { item, from, to } = await actions.queue.move(call, {
      item: interaction.options.getString('item', true),
      position: interaction.options.getInteger('position', true),
    });
    return { content: `Moved ${trackLine(item)} from #${from} to #${to}.` };
  },
};
