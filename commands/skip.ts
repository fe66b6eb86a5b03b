import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { trackLine } from '../src/discord/format.ts';

export const skip: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('skip')
    .setDescription('Skip the playing song (DJs and its requester at once; anyone else votes to skip)')
    .toJSON(),
  async execute({ call, actions }) {
    const outcome = await actions.playback.skip(call);
    if (outcome.skipped) return { content: `Skipped ${trackLine(outcome.item)}.` };
    const already = outcome.counted ? '' : 'You already voted to skip. ';
    return {
      content: `${already}Vote to skip ${trackLine(outcome.item)}: **${outcome.count}/${outcome.needed}**.`,
    };
  },
};
