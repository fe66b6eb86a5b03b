import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { trackLine } from '../src/discord/format.ts';
import { requireDj } from '../src/discord/permissions.ts';

export const pause: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('pause')
    .setDescription('Pause the music (DJs)')
    .toJSON(),
  async execute({ guildId, member, services }) {
    requireDj(member, (await services.settings.get(guildId)).djRoleId);
    const item = await services.playback.pause(guildId);
    return { content: `Paused ${trackLine(item)}. /resume to continue.` };
  },
};
