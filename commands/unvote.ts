import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { escapeMarkdown, votes } from '../src/discord/format.ts';
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
  async execute({ guildId, member, services, interaction }) {
    const item = await services.queue.find(guildId, interaction.options.getString('item', true));
    const result = await services.queue.unvote(guildId, item.id, member.userId);
    return {
      ephemeral: true,
      content: `Vote withdrawn: **${escapeMarkdown(item.track.title)}** is #${result.position} (${votes(result.votes)}).`,
    };
  },
};
