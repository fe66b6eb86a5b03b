import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { shownName } from '../src/discord/format.ts';
import { fitLabel, fitLines, LIMITS } from '../src/discord/limits.ts';
import type { SpotifyDevice, SpotifyStatus } from '../src/spotify/service.ts';
import type { SpotifyMode } from '../src/storage/db/guild-settings.ts';

const MODES = {
  device: "Spotify songs play on the linked account's Spotify device (your stream captures it).",
  voice: 'Spotify songs are matched on YouTube and played in the voice channel.',
};

export const spotify: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('spotify')
    .setDescription("This server's Spotify account: link it, see it, choose the device it plays on")
    .addSubcommand((s) =>
      s
        .setName('link')
        .setDescription('Link a Spotify account to this server (admins; the link is only for you)'),
    )
    .addSubcommand((s) => s.setName('unlink').setDescription("Remove this server's Spotify account (admins)"))
    .addSubcommand((s) =>
      s.setName('status').setDescription('Which account is linked, and how Spotify songs play here (DJs)'),
    )
    .addSubcommand((s) => s.setName('devices').setDescription("The linked account's Spotify devices (DJs)"))
    .addSubcommand((s) =>
      s
        .setName('device')
        .setDescription('Choose the Spotify device songs play on (DJs)')
        .addStringOption((o) =>
          o
            .setName('name')
            .setDescription('The device name, as /spotify devices shows it')
            .setRequired(true)
            .setMaxLength(100)
            .setAutocomplete(true),
        ),
    )
    .toJSON(),
  defer: true,
  async execute({ call, actions, interaction }) {
    const sub = interaction.options.getSubcommand();
    if (sub === 'link') {
      const { authorizeUrl } = await actions.admin.spotifyLink(call);
      return {
        ephemeral: true,
        content:
          'Open this link to connect a Spotify account to this server. It works once, for 10 minutes; ' +
          `do not share it:\n${authorizeUrl}\nPlaying on a Spotify device needs Spotify Premium.`,
      };
    }
    if (sub === 'unlink') {
      const removed = await actions.admin.spotifyUnlink(call);
      return {
        ephemeral: true,
        content: removed ? 'The Spotify account is unlinked.' : 'No Spotify account was linked.',
      };
    }
    if (sub === 'status')
      return { ephemeral: true, content: statusText(await actions.admin.spotifyStatus(call)) };
    if (sub === 'devices') {
      const { devices, chosenId } = await actions.admin.spotifyDevices(call);
      return { ephemeral: true, content: devicesText(devices, chosenId) };
    }
    const device = await actions.admin.spotifyDevice(call, {
      device: interaction.options.getString('name', true),
    });
    return {
      ephemeral: true,
      content: device ? `Spotify songs play on **${shownName(device.name)}** now.` : 'Done.',
    };
  },
  async autocomplete({ call, actions, interaction }) {
    const typed = String(interaction.options.getFocused()).toLowerCase();
    const { devices } = await actions.admin
      .spotifyDevices(call)
      .catch(() => ({ devices: [] as SpotifyDevice[] }));
    return devices
      .filter((d) => d.name.toLowerCase().includes(typed))
      .filter((d) => d.name.length <= LIMITS.choiceValue)
      .slice(0, LIMITS.choices)
      .map((d) => ({ name: fitLabel(d.name, 'choice'), value: d.name }));
  },
};

function statusText(status: SpotifyStatus & { mode: SpotifyMode }): string {
  const how = `Mode: **${status.mode}**. ${MODES[status.mode]}`;
  if (!status.linked)
    return `No Spotify account is linked. An admin can link one with /spotify link.\n${how}`;
  const name = status.displayName ? `**${shownName(status.displayName)}**` : 'an account';
  const chosen = status.devices.find((d) => d.id === status.deviceId);
  const device = chosen
    ? `Device: **${shownName(chosen.name)}**.`
    : status.deviceId
      ? 'Device: the chosen one is not available now.'
      : 'Device: whichever is active (choose one with /spotify device).';
  return `Spotify is linked to ${name}.\n${how}\n${device}`;
}

function devicesText(devices: SpotifyDevice[], chosenId: string | null): string {
  if (devices.length === 0)
    return 'Spotify shows no device for this account. Open Spotify on the device you stream from.';
  const lines = devices.map((d) => {
    const notes = [d.isActive ? 'active' : null, d.id === chosenId ? 'chosen' : null].filter(Boolean);
    return `• **${shownName(d.name)}** (${d.type})${notes.length ? ` — ${notes.join(', ')}` : ''}`;
  });
  return `Spotify devices:\n${fitLines(lines, LIMITS.content - 20, (n) => `…and ${n} more`)}`;
}
