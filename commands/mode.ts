import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import type { ModeState, PlayMode } from '../src/mode/controller.ts';

function describe(s: ModeState): string {
  if (s.mode === 'radio') return `Radio mode: playing **${s.stationName}**.`;
  if (s.mode === 'music') return 'Music mode: the queue plays.';
  return 'No mode is set: neither the queue nor a station is playing.';
}

export const mode: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('mode')
    .setDescription('Show the mode, or switch between the music queue and the radio (DJs switch)')
    .addStringOption((o) =>
      o
        .setName('to')
        .setDescription('Switch to')
        .addChoices({ name: 'music', value: 'music' }, { name: 'radio', value: 'radio' }),
    )
    .addStringOption((o) =>
      o
        .setName('station')
        .setDescription('For radio: the station (else the last one played)')
        .setMaxLength(100),
    )
    .toJSON(),
  async execute({ call, actions, interaction }) {
    const to = interaction.options.getString('to') as PlayMode | null;
    if (!to) return { ephemeral: true, content: describe(await actions.radio.mode(call)) };
    const station = interaction.options.getString('station');
    const state = await actions.radio.switchMode(call, { mode: to, ...(station ? { station } : {}) });
    const resumed =
      to === 'music' && state.previousMode === 'radio' ? ' The music picks up where it paused.' : '';
    return { content: `${describe(state)}${resumed}` };
  },
};
