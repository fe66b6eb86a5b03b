import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { boldTitle, votes } from '../src/discord/format.ts';
import { autocompleteItem, itemOption } from './shared.ts';

export const unvote: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('unvote')
    .setDescription('Take back your vote on a queued song')
    .addStringOption(itemOption)
    .toJSON(),
  autocomplete: autocompleteItem,
  async execute({ call, actions, interaction }) {
    const result = await actions.queue.unvote(call, { item: interaction.options.getString('item', true) });
    const { item } = result;
    return {
      ephemeral: true,
      content: `Vote withdrawn: ${boldTitle(item.track.title)} is #${result.position} (${votes(result.votes)}).`,
    };
  },
};
