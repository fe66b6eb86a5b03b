import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';

export const stop: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('stop')
    .setDescription('Stop the music and leave the voice channel; the queue stays (DJs)')
    .toJSON(),
  async execute({ call, actions }) {
    await actions.playback.stop(call);
    return { content: 'Stopped and left the voice channel. The queue is kept; /play to start again.' };
  },
};
