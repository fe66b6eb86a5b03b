import type { Client } from 'discord.js';
import type { Logger } from '../core/logger.ts';

/** Posts a short line in a text channel (radio notices); failures are logged, never thrown. */
export function channelNotice(client: Client, logger: Logger): (channelId: string, text: string) => void {
  return (channelId, text) => {
    client.channels
      .fetch(channelId)
      .then(async (channel) => {
        if (channel?.isSendable()) await channel.send({ content: text, allowedMentions: { parse: [] } });
      })
      .catch((err) => logger.warn({ err: err?.message, channelId }, 'could not post a notice'));
  };
}
