import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';

export const clear: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('clear')
    .setDescription('Remove every queued song (DJs)')
    .toJSON(),
  async execute({ call, actions }) {
    const count = await actions.queue.clear(call);
    return {
      content: count === 0 ? 'The queue was already empty.' : `Cleared ${count} songs from the queue.`,
    };
  },
};
