import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import type { FilterPreset } from '../src/playback/filters.ts';

const PRESETS: { name: string; value: FilterPreset | 'off' }[] = [
  { name: 'bass boost', value: 'bassboost' },
  { name: 'nightcore (faster, higher)', value: 'nightcore' },
  { name: 'vaporwave (slower, lower)', value: 'vaporwave' },
  { name: '8D (circles around you)', value: '8d' },
  { name: 'karaoke (voice removed)', value: 'karaoke' },
  { name: 'off', value: 'off' },
];

export const filter: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('filter')
    .setDescription('Show or set the audio filter for the songs (DJs set it)')
    .addStringOption((o) =>
      o
        .setName('preset')
        .setDescription('The filter; off removes it and the equaliser')
        .addChoices(...PRESETS),
    )
    .toJSON(),
  async execute({ call, actions, interaction }) {
    const preset = interaction.options.getString('preset') as FilterPreset | 'off' | null;
    if (preset === null) {
      const now = await actions.playback.filter(call);
      return { ephemeral: true, content: `Filter: ${now.label}.` };
    }
    const set = await actions.playback.setFilter(call, { preset });
    return { content: set.label === 'off' ? 'Filters off.' : `Filter set: ${set.label}.` };
  },
};
