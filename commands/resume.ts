import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { trackLine } from '../src/discord/format.ts';

export const resume: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('resume')
    .setDescription('Resume paused music (DJs)')
    .toJSON(),
  async execute({ call, actions }) {
    const item = await actions.playback.resume(call);
    return { content: `Resumed ${trackLine(item)}.` };
  },
};
