import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import type { LoopMode } from '../src/playback/player.ts';

const SAID: Record<LoopMode, string> = {
  off: 'Loop is off: each song plays once.',
  track: 'Looping the playing song.',
  queue: 'Looping the queue: each song goes back into the queue after it plays.',
};

export const loop: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('loop')
    .setDescription('Repeat the playing song or the whole queue (DJs)')
    .addStringOption((o) =>
      o
        .setName('mode')
        .setDescription('What to repeat')
        .setRequired(true)
        .addChoices(
          { name: 'off', value: 'off' },
          { name: 'song', value: 'track' },
          { name: 'queue', value: 'queue' },
        ),
    )
    .toJSON(),
  async execute({ call, actions, interaction }) {
    const mode = await actions.playback.setLoop(call, {
      mode: interaction.options.getString('mode', true) as LoopMode,
    });
    return { content: SAID[mode] };
  },
};
