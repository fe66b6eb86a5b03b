import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { requesterOf, trackLine } from '../src/discord/format.ts';
import { fitLines, LIMITS } from '../src/discord/limits.ts';

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
      (i) => `${i.status === 'skipped' ? '⏭' : '✔'} ${trackLine(i, true)} · ${requesterOf(i)}`,
    );
    const head = '**Recently played**\n';
    const list = fitLines(lines, LIMITS.content - head.length, (n) => `…and ${n} more`);
    return { content: `${head}${list}`, ephemeral: true };
  },
};
