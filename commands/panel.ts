import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { panelMessage } from '../src/discord/panel-view.ts';

export const panel: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('panel')
    .setDescription('Post the live control panel in this channel: now playing, up next, buttons (DJs)')
    .toJSON(),
  async execute({ call, actions, panels }) {
    const view = await actions.playback.placePanel(call);
    return {
      ...panelMessage(view),
      afterSend: (sent) => panels.placed(call.guildId, sent.ref),
    };
  },
};
