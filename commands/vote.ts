import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { boldTitle, votes } from '../src/discord/format.ts';
import { autocompleteItem, itemOption } from './shared.ts';

export const vote: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('vote')
    .setDescription('Vote a queued song up or down (one vote per song; voting the other way switches it)')
    .addStringOption(itemOption)
    .addStringOption((o) =>
      o
        .setName('direction')
        .setDescription('Up or down')
        .setRequired(true)
        .addChoices({ name: 'up', value: 'up' }, { name: 'down', value: 'down' }),
    )
    .toJSON(),
  autocomplete: autocompleteItem,
  async execute({ call, actions, interaction }) {
    const direction = interaction.options.getString('direction', true) === 'up' ? 1 : -1;
    const result = await actions.queue.vote(call, {
      item: interaction.options.getString('item', true),
      direction,
    });
    const { item } = result;
    const moved =
      result.position === result.previousPosition
        ? `stays at #${result.position}`
        : `moves from #${result.previousPosition} to #${result.position}`;
    return {
      ephemeral: true,
      content: `Voted ${direction === 1 ? 'up' : 'down'}: ${boldTitle(item.track.title)} ${moved} (${votes(result.votes)}).`,
    };
  },
};
