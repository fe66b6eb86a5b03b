import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { trackLine } from '../src/discord/format.ts';
import { requireDj } from '../src/discord/permissions.ts';

export const resume: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('resume')
    .setDescription('Resume paused music (DJs)')
    .toJSON(),
  async execute({ guildId, member, services }) {
    requireDj(member, (await services.settings.get(guildId)).djRoleId);
    const item = await services.playback.resume(guildId);
    return { content: `Resumed ${trackLine(item)}.` };
  },
};
