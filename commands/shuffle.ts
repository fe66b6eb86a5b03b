import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';

export const shuffle: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('shuffle')
    .setDescription('Shuffle the queue; later votes still move songs up or down (DJs)')
    .toJSON(),
  async execute({ call, actions }) {
    const count = await actions.queue.shuffle(call);
    return { content: count < 2 ? 'Nothing to shuffle.' : `Shuffled ${count} songs.` };
  },
};
