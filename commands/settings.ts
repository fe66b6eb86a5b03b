import {
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import type { GuildSettingsPatch } from '../src/storage/db/guild-settings.ts';

export const settings: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('settings')
    .setDescription('Show or change the music settings of this server (admins)')
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addRoleOption((o) =>
      o.setName('dj_role').setDescription('Role whose members can skip, pause, move and clear'),
    )
    .addBooleanOption((o) =>
      o.setName('clear_dj_role').setDescription('Remove the DJ role (then only admins are DJs)'),
    )
    .addNumberOption((o) =>
      o
        .setName('vote_skip_ratio')
        .setDescription('Share of listeners needed to vote-skip (0.1-1)')
        .setMinValue(0.1)
        .setMaxValue(1),
    )
    .addIntegerOption((o) =>
      o.setName('max_queue').setDescription('Most songs in the queue').setMinValue(1).setMaxValue(10000),
    )
    .addIntegerOption((o) =>
      o
        .setName('per_user_limit')
        .setDescription('Most songs one member may have queued')
        .setMinValue(1)
        .setMaxValue(10000),
    )
    .addIntegerOption((o) =>
      o
        .setName('default_volume')
        .setDescription('Volume songs start at, 0-100 (anything but 100 costs an ffmpeg process)')
        .setMinValue(0)
        .setMaxValue(100),
    )
    .addBooleanOption((o) =>
      o.setName('stay_24_7').setDescription('Stay in the voice channel when the queue runs out (24/7)'),
    )
    .addStringOption((o) =>
      o
        .setName('spotify_mode')
        .setDescription('Spotify songs: on the linked device, or matched and played in voice')
        .addChoices(
          { name: 'device', value: 'device' },
          { name: 'voice', value: 'voice' },
          { name: 'automatic', value: 'auto' },
        ),
    )
    .toJSON(),
  async execute({ call, actions, interaction }) {
    const o = interaction.options;
    const patch: GuildSettingsPatch = {};
    const role = o.getRole('dj_role');
    if (role) patch.djRoleId = role.id;
    if (o.getBoolean('clear_dj_role')) patch.djRoleId = null;
    const ratio = o.getNumber('vote_skip_ratio');
    if (ratio !== null) patch.voteSkipRatio = ratio;
    const maxQueue = o.getInteger('max_queue');
    if (maxQueue !== null) patch.maxQueueLength = maxQueue;
    const perUser = o.getInteger('per_user_limit');
    if (perUser !== null) patch.maxPerUser = perUser;
    const volume = o.getInteger('default_volume');
    if (volume !== null) patch.defaultVolume = volume;
    const stay = o.getBoolean('stay_24_7');
    if (stay !== null) patch.stayInVoice = stay;
    const spotifyMode = o.getString('spotify_mode');
    if (spotifyMode) patch.spotifyMode = spotifyMode === 'auto' ? null : (spotifyMode as 'device' | 'voice');
    const changed = Object.keys(patch).length > 0;
    const s = await actions.admin.updateSettings(call, patch);
    const lines = [
      `DJ role: ${s.djRoleId ? `<@&${s.djRoleId}>` : 'none (admins only)'}`,
      `Vote-skip: ${Math.round(s.voteSkipRatio * 100)}% of listeners`,
      `Queue limit: ${s.maxQueueLength ?? 'default'} songs, ${s.maxPerUser ?? 'default'} per member`,
      `Default volume: ${s.defaultVolume}%`,
      `24/7: ${s.stayInVoice ? 'on (stays in voice)' : 'off (leaves when idle)'}`,
      `Spotify: ${s.spotifyMode ?? 'automatic (device once an account is linked, else voice)'}`,
    ];
    return { ephemeral: true, content: `${changed ? 'Settings saved.' : 'Settings:'}\n${lines.join('\n')}` };
  },
};
