import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { EQ_LIMIT_DB } from '../src/playback/filters.ts';

const BANDS = [
  ['bass', 'Bass gain in dB (below 150 Hz)'],
  ['mid', 'Mid gain in dB (around 1 kHz)'],
  ['treble', 'Treble gain in dB (above 3 kHz)'],
] as const;

export const eq: Command = {
  data: (() => {
    const builder = new SlashCommandBuilder()
      .setContexts(InteractionContextType.Guild)
      .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
      .setName('eq')
      .setDescription(`Show or set the equaliser, -${EQ_LIMIT_DB} to +${EQ_LIMIT_DB} dB a band (DJs set it)`);
    for (const [name, description] of BANDS) {
      builder.addIntegerOption((o) =>
        o.setName(name).setDescription(description).setMinValue(-EQ_LIMIT_DB).setMaxValue(EQ_LIMIT_DB),
      );
    }
    return builder.toJSON();
  })(),
  async execute({ call, actions, interaction }) {
    const gains = Object.fromEntries(
      BANDS.map(([band]) => [band, interaction.options.getInteger(band) ?? undefined]).filter(
        ([, gain]) => gain !== undefined,
      ),
    ) as { bass?: number; mid?: number; treble?: number };
    if (Object.keys(gains).length === 0) {
      const now = await actions.playback.filter(call);
      const { bass, mid, treble } = now.eq;
      return {
        ephemeral: true,
        content: `Equaliser: bass ${db(bass)}, mid ${db(mid)}, treble ${db(treble)}.`,
      };
    }
    const set = await actions.playback.setEq(call, gains);
    return { content: `Filter set: ${set.label}.` };
  },
};

function db(gain: number): string {
  return `${gain > 0 ? '+' : ''}${gain} dB`;
}
