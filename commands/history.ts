import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { trackLine } from '../src/discord/format.ts';

export const history: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('history')
    .setDescription('Songs played or skipped recently, newest first')
    .addIntegerOption((o) =>
      o.setName('count').setDescription('How many (1-20)').setMinValue(1).setMaxValue(20),
    )
    .toJSON(),
  async execute({ call, actions, interaction }) {
    const items = await actions.queue.history(call, { limit: interaction.options.getInteger('count') ?? 10 });
    if (items.length === 0) return { ephemeral: true, content: 'Nothing has played yet.' };
    const lines = items.map(
      (i) => `${i.status === 'skipped' ? '⏭' : '✔'} ${trackLine(i)} · <@${i.requestedBy}>`,
    );
    return { content: `**Recently played**\n${lines.join('\n')}`, ephemeral: true };
  },
};
