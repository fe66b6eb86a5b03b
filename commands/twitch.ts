import {
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from 'discord.js';
import type { TwitchStatus } from '../src/actions/ports.ts';
import type { Command } from '../src/discord/command.ts';
import { shownName } from '../src/discord/format.ts';

const STATES: Record<TwitchStatus['state'], string> = {
  connected: 'reading chat',
  connecting: 'connecting to chat',
  reconnecting: 'reconnecting to chat',
  stopped: 'not connected',
  'auth-failed': 'paused: Twitch refused the bot account',
  paused: 'paused: Twitch refused the bot account',
  off: 'linked (another process of this bot reads the chat)',
  'not-linked': 'not linked',
};

function render(status: TwitchStatus, lead: string): string {
  if (!status.linked || !status.channel || !status.commands) {
    return `${lead}No Twitch channel is linked. Link one with \`/twitch link channel:<name>\`.`;
  }
  const w = status.commands;
  const paused = status.pausedReason
    ? `\nReason: ${shownName(status.pausedReason)}. The queue is kept; run \`/twitch link\` again once the bot has a new token.`
    : '';
  return (
    `${lead}Twitch channel **${shownName(status.channel)}**: ${STATES[status.state]} as ${shownName(status.botAccount)}.${paused}\n` +
    `Viewers type \`!${w.request} <link or search>\`, \`!${w.voteUp} <n>\`, \`!${w.voteDown} <n>\`, \`!${w.song}\`, \`!${w.queue}\`. ` +
    'Moderators and the broadcaster count as DJs.'
  );
}

export const twitch: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('twitch')
    .setDescription("Song requests from a Twitch channel's chat into this server's queue (admins)")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((s) =>
      s
        .setName('link')
        .setDescription("Link a Twitch channel: its viewers' !sr requests join this queue")
        .addStringOption((o) =>
          o
            .setName('channel')
            .setDescription('The Twitch channel name (as in twitch.tv/<name>)')
            .setRequired(true)
            .setMinLength(3)
            .setMaxLength(26),
        )
        .addStringOption((o) =>
          o
            .setName('request_command')
            .setDescription('The word viewers type after ! to request a song (default: sr)')
            .setMaxLength(20),
        ),
    )
    .addSubcommand((s) => s.setName('unlink').setDescription('Stop reading the linked Twitch channel'))
    .addSubcommand((s) =>
      s.setName('status').setDescription('Which channel is linked and whether chat is read'),
    )
    .toJSON(),
  defer: true,
  async execute({ call, actions, interaction }) {
    const sub = interaction.options.getSubcommand();
    if (sub === 'link') {
      const channel = interaction.options.getString('channel', true);
      const request = interaction.options.getString('request_command');
      const status = await actions.twitch.link(call, {
        channel,
        ...(request ? { commands: { request: request.replace(/^!/, '').toLowerCase() } } : {}),
      });
      return { ephemeral: true, content: render(status, 'Linked. ') };
    }
    if (sub === 'unlink') {
      await actions.twitch.unlink(call);
      return {
        ephemeral: true,
        content: 'The Twitch channel is unlinked; its chat no longer requests songs.',
      };
    }
    return { ephemeral: true, content: render(await actions.twitch.status(call), '') };
  },
};
