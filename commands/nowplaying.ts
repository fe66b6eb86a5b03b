import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { duration, requesterOf, trackLine } from '../src/discord/format.ts';

export const nowplaying: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('nowplaying')
    .setDescription('Show the song playing now')
    .toJSON(),
  async execute({ call, actions }) {
    const { playing: item, state, positionMs, filter } = await actions.playback.state(call);
    if (!item) return { ephemeral: true, content: 'Nothing is playing right now. Add a song with /play.' };
    const at = positionMs === null ? '' : ` · ${duration(positionMs)} / ${duration(item.track.durationMs)}`;
    const paused = state === 'paused' ? ' (paused)' : '';
    const filtered = filter.label === 'off' ? '' : ` · filter: ${filter.label}`;
    return {
      content: `Now playing${paused}: ${trackLine(item)}${at}${filtered} · asked for by ${requesterOf(item)}`,
    };
  },
};
