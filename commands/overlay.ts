import {
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from 'discord.js';
import type { Command } from '../src/discord/command.ts';

export const overlay: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('overlay')
    .setDescription('The OBS browser-source overlay of this server (admins)')
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((s) =>
      s.setName('link').setDescription('Get the overlay link (the first one creates the key)'),
    )
    .addSubcommand((s) =>
      s.setName('rotate').setDescription('Make a new link; the old one stops working at once'),
    )
    .toJSON(),
  async execute({ call, actions, interaction }) {
    const rotate = interaction.options.getSubcommand() === 'rotate';
    const { url, rotated } = await actions.admin.overlayLink(call);
    const note = rotate || rotated ? ' The previous link no longer works.' : '';
    return {
      ephemeral: true,
      content:
        `Add this as a browser source in OBS (keep it private: anyone with it sees the overlay):\n${url}\n` +
        `Options: \`&theme=light\`, \`&layout=compact\`, \`&accent=ff8800\`.${note}`,
    };
  },
};
