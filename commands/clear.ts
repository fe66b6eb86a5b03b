import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { requireDj } from '../src/discord/permissions.ts';

export const clear: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('clear')
    .setDescription('Remove every queued song (DJs)')
    .toJSON(),
  async execute({ guildId, member, services }) {
    requireDj(member, (await services.settings.get(guildId)).djRoleId);
    const count = await services.queue.clear(guildId);
    return {
      content: count === 0 ? 'The queue was already empty.' : `Cleared ${count} songs from the queue.`,
    };
  },
};
