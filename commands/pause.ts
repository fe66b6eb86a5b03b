import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { trackLine } from '../src/discord/format.ts';

export const pause: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('pause')
    .setDescription('Pause the music (DJs)')
    .toJSON(),
  async execute({ call, actions }) {
    const item = await actions.playback.pause(call);
    return { content: `Paused ${trackLine(item)}. /resume to continue.` };
  },
};
