import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { AddResult } from '../src/actions/index.ts';
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
  async execute({ call, actions, messages, interaction }) {
    const result = await actions.queue.add(call, { query: interaction.options.getString('query', true) });
    const content = addedText(result);
    const first = result.added[0]!;
    return {
      content,
      afterSend: async (message) => {
        await actions.queue.linkMessage(call, { messageId: message.id, itemId: first.item.id });
        messages.watchTrackMessage(call.guildId, first.item.id, message.ref, content);
        await message.react(UP);
        await message.react(DOWN);
      },
    };
  },
};

/** What /play says: the song (or how many), where it stands, what was left out and why. */
function addedText(result: AddResult): string {
  const first = result.added[0]!;
  const where =
    result.playback === 'waiting-for-voice'
      ? '\nJoin a voice channel and /play again to start listening.'
      : '';
  const left =
    result.notQueued > 0
      ? `\n${result.notQueued} more not queued: ${result.notQueuedReason?.message ?? 'over the limit.'}`
      : '';
  if (result.nowPlaying?.id === first.item.id && result.added.length === 1) {
    return `Now playing ${trackLine(first.item)}.${left}`;
  }
  if (result.added.length === 1) return `${trackMessage(first.item)}${where}${left}`;
  return `Queued **${result.added.length}** songs, the first at position **#${first.position}**.${where}${left}`;
}
