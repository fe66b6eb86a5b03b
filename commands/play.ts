import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { trackLine } from '../src/discord/format.ts';
import { trackMessage } from '../src/discord/queue-messages.ts';
import { DOWN, UP } from '../src/discord/reactions.ts';

export const play: Command = {
  data: new SlashCommandBuilder()
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setName('play')
    .setDescription('Queue a song (a link or a search) and start playing in your voice channel')
    .addStringOption((o) =>
      o
        .setName('query')
        .setDescription('A YouTube, SoundCloud, Spotify or audio link, or words to search for')
        .setRequired(true)
        .setMaxLength(500),
    )
    .toJSON(),
  defer: true,
  async execute({ guildId, member, services, interaction }) {
    const query = interaction.options.getString('query', true);
    const settings = await services.settings.get(guildId);
    const tracks = await services.tracks.resolve(query, { limit: settings.maxPerUser ?? 10, guildId });
    const added = [];
    for (const track of tracks) added.push(await services.queue.add(guildId, track, member.userId));
    const first = added[0]!;
    // Without a voice channel the queue may still start on the linked Spotify device (device mode).
    const onDevice = member.voiceChannelId
      ? false
      : ((await services.playback.startWithoutVoice?.(guildId)) ?? false);
    if (member.voiceChannelId) await services.playback.ensurePlaying(guildId, member.voiceChannelId);
    const where =
      member.voiceChannelId || onDevice ? '' : '\nJoin a voice channel and /play again to start listening.';
    const playing = await services.queue.nowPlaying(guildId);
    const content =
      playing?.id === first.item.id && added.length === 1
        ? `Now playing ${trackLine(first.item)}.`
        : added.length === 1
          ? `${trackMessage(first.item)}${where}`
          : `Queued **${added.length}** songs, the first at position **#${first.position}**.${where}`;
    return {
      content,
      afterSend: async (message) => {
        await services.queue.linkMessage(guildId, message.id, first.item.id);
        services.messages.watchTrackMessage(
          guildId,
          first.item.id,
          { channelId: message.channelId, messageId: message.id },
          content,
        );
        await message.react(UP);
        await message.react(DOWN);
      },
    };
  },
};
