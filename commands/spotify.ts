import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import type { Command, Services, SpotifyPort } from '../src/discord/command.ts';
import { escapeMarkdown } from '../src/discord/format.ts';
import { requireAdmin, requireDj } from '../src/discord/permissions.ts';
import type { SpotifyDevice } from '../src/spotify/service.ts';

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
  async execute({ guildId, member, services, interaction }) {
    const port = spotifyOf(services);
    const sub = interaction.options.getSubcommand();
    if (sub === 'link' || sub === 'unlink') requireAdmin(member);
    else requireDj(member, (await services.settings.get(guildId)).djRoleId);
    if (sub === 'link') {
      const { authorizeUrl } = port.startLink(guildId, member.userId);
      return {
        ephemeral: true,
        content:
          'Open this link to connect a Spotify account to this server. It works once, for 10 minutes; ' +
          `do not share it:\n${authorizeUrl}\nPlaying on a Spotify device needs Spotify Premium.`,
      };
    }
    if (sub === 'unlink') {
      const removed = await port.unlink(guildId);
      return {
        ephemeral: true,
        content: removed ? 'The Spotify account is unlinked.' : 'No Spotify account was linked.',
      };
    }
    if (sub === 'status') return { ephemeral: true, content: await statusText(port, guildId) };
    if (sub === 'devices') {
      const devices = await port.devices(guildId);
      const { deviceId } = await port.status(guildId);
      return { ephemeral: true, content: devicesText(devices, deviceId) };
    }
    const device = await port.setDevice(guildId, interaction.options.getString('name', true));
    return {
      ephemeral: true,
      content: device ? `Spotify songs play on **${escapeMarkdown(device.name)}** now.` : 'Done.',
    };
  },
  async autocomplete({ guildId, services, interaction }) {
    const typed = String(interaction.options.getFocused()).toLowerCase();
    const devices = await services.spotify?.devices(guildId).catch(() => []);
    return (devices ?? [])
      .filter((d) => d.name.toLowerCase().includes(typed))
      .slice(0, 25)
      .map((d) => ({ name: d.name.slice(0, 100), value: d.name.slice(0, 100) }));
  },
};

function spotifyOf(services: Services): SpotifyPort {
  if (!services.spotify) {
    throw new UserError(
      'UNAVAILABLE',
      'Spotify is not set up on this bot (its owner sets SPOTIFY_CLIENT_ID to turn it on).',
    );
  }
  return services.spotify;
}

async function statusText(port: SpotifyPort, guildId: string): Promise<string> {
  const [status, mode] = await Promise.all([port.status(guildId), port.mode(guildId)]);
  const how = `Mode: **${mode}**. ${MODES[mode]}`;
  if (!status.linked)
    return `No Spotify account is linked. An admin can link one with /spotify link.\n${how}`;
  const name = status.displayName ? `**${escapeMarkdown(status.displayName)}**` : 'an account';
  const chosen = status.devices.find((d) => d.id === status.deviceId);
  const device = chosen
    ? `Device: **${escapeMarkdown(chosen.name)}**.`
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
    return `• **${escapeMarkdown(d.name)}** (${d.type})${notes.length ? ` — ${notes.join(', ')}` : ''}`;
  });
  return `Spotify devices:\n${lines.join('\n')}`;
}
