import {
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { formatSeconds } from '../src/queue/request-rules.ts';
import {
  type GuildSettingsPatch,
  MAX_COOLDOWN_SECONDS,
  MAX_TRACK_SECONDS,
  type QueueOrder,
  REQUEST_SOURCES,
  type RequestAccess,
  type RequestSource,
} from '../src/storage/db/guild-settings.ts';

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
    .addStringOption((o) =>
      o
        .setName('requests_from')
        .setDescription('Who may request songs')
        .addChoices(
          { name: 'everyone', value: 'everyone' },
          { name: 'members of request_role (and DJs)', value: 'role' },
          { name: 'DJs only', value: 'dj' },
        ),
    )
    .addRoleOption((o) =>
      o.setName('request_role').setDescription('The role that may request when requests_from is a role'),
    )
    .addIntegerOption((o) =>
      o
        .setName('max_track_seconds')
        .setDescription('Longest song a request may queue, in seconds (0: no cap)')
        .setMinValue(0)
        .setMaxValue(MAX_TRACK_SECONDS),
    )
    .addBooleanOption((o) => o.setName('allow_live').setDescription('Whether live streams may be requested'))
    .addIntegerOption((o) =>
      o
        .setName('request_cooldown')
        .setDescription('Seconds a member waits between two requests (0: none)')
        .setMinValue(0)
        .setMaxValue(MAX_COOLDOWN_SECONDS),
    )
    .addStringOption((o) =>
      o
        .setName('sources')
        .setDescription('Allowed sources, comma-separated: youtube, soundcloud, spotify, http (or all)')
        .setMaxLength(100),
    )
    .addStringOption((o) =>
      o
        .setName('queue_order')
        .setDescription('votes: most votes first; fair: also round-robin between requesters')
        .addChoices({ name: 'votes', value: 'votes' }, { name: 'fair', value: 'fair' }),
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
    const access = o.getString('requests_from');
    if (access) patch.requestAccess = access as RequestAccess;
    const requestRole = o.getRole('request_role');
    if (requestRole) patch.requestRoleId = requestRole.id;
    const maxTrack = o.getInteger('max_track_seconds');
    if (maxTrack !== null) patch.maxTrackSeconds = maxTrack;
    const live = o.getBoolean('allow_live');
    if (live !== null) patch.allowLive = live;
    const cooldown = o.getInteger('request_cooldown');
    if (cooldown !== null) patch.requestCooldownSeconds = cooldown;
    const sources = o.getString('sources');
    if (sources !== null) patch.allowedSources = parseSources(sources);
    const order = o.getString('queue_order');
    if (order) patch.queueOrder = order as QueueOrder;
    const changed = Object.keys(patch).length > 0;
    const s = await actions.admin.updateSettings(call, patch);
    const lines = [
      `DJ role: ${s.djRoleId ? `<@&${s.djRoleId}>` : 'none (admins only)'}`,
      `Vote-skip: ${Math.round(s.voteSkipRatio * 100)}% of listeners`,
      `Queue limit: ${s.maxQueueLength ?? 'default'} songs, ${s.maxPerUser ?? 'default'} per member`,
      `Default volume: ${s.defaultVolume}%`,
      `24/7: ${s.stayInVoice ? 'on (stays in voice)' : 'off (leaves when idle)'}`,
      `Spotify: ${s.spotifyMode ?? 'automatic (device once an account is linked, else voice)'}`,
      `Requests from: ${
        s.requestAccess === 'everyone'
          ? 'everyone'
          : s.requestAccess === 'dj'
            ? 'DJs only'
            : `<@&${s.requestRoleId}> and DJs`
      }`,
      `Longest song: ${s.maxTrackSeconds === 0 ? 'no cap' : formatSeconds(s.maxTrackSeconds)}; live streams ${s.allowLive ? 'allowed' : 'not allowed'}`,
      `Cooldown between requests: ${s.requestCooldownSeconds === 0 ? 'none' : `${s.requestCooldownSeconds} s`}`,
      `Sources: ${s.allowedSources.join(', ')}`,
      `Queue order: ${s.queueOrder === 'fair' ? 'fair (votes, then round-robin between requesters)' : 'votes (then first come)'}`,
    ];
    return { ephemeral: true, content: `${changed ? 'Settings saved.' : 'Settings:'}\n${lines.join('\n')}` };
  },
};

/** "youtube, spotify" or "all"; the names are checked with the settings (a wrong one is named). */
function parseSources(text: string): RequestSource[] {
  const names = text
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean);
  if (names.length === 1 && names[0] === 'all') return [...REQUEST_SOURCES];
  return names as RequestSource[];
}
