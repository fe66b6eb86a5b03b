import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { queueComponents } from '../src/discord/components.ts';
import { queueEmbed } from '../src/discord/format.ts';

export const queue: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('queue')
    .setDescription('Show the queue in play order, with a menu and buttons to vote')
    .addIntegerOption((o) => o.setName('page').setDescription('Page number (10 songs a page)').setMinValue(1))
    .toJSON(),
  async execute({ call, actions, messages, interaction }) {
    const page = await actions.queue.page(call, { page: interaction.options.getInteger('page') ?? 1 });
    return {
      embeds: [queueEmbed(page)],
      components: queueComponents(page.items),
      afterSend: async (message) => {
        messages.watchQueueMessage(call.guildId, message.ref, page.page);
      },
    };
  },
};
