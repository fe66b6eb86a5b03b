import type { Client } from 'discord.js';
import type { Logger } from '../core/logger.ts';
import { fitContent } from './limits.ts';

/** Posts a short line in a text channel (radio notices); failures are logged, never thrown. */
export function channelNotice(client: Client, logger: Logger): (channelId: string, text: string) => void {
  return (channelId, text) => {
    client.channels
      .fetch(channelId)
      .then(async (channel) => {
        if (channel?.isSendable())
          await channel.send({ content: fitContent(text), allowedMentions: { parse: [] } });
      })
      .catch((err) => logger.warn({ err: err?.message, channelId }, 'could not post a notice'));
  };
}

/**
 * Posts a line for a guild's admins where they will see it: the server's system channel, else the first
 * text channel the bot may write in. Failures are logged, never thrown.
 */
export function guildNotice(client: Client, logger: Logger): (guildId: string, text: string) => void {
  const post = channelNotice(client, logger);
  return (guildId, text) => {
    const guild = client.guilds.cache.get(guildId);
    if (!guild) return;
    const me = guild.members.me;
    const channel =
      guild.systemChannel ??
      guild.channels.cache
        .filter((c) => c.isTextBased() && (!me || c.permissionsFor(me)?.has('SendMessages')))
        .sort((a, b) => ('position' in a && 'position' in b ? a.position - b.position : 0))
        .first();
    if (channel) post(channel.id, text);
    else logger.warn({ guildId }, 'no channel to tell the admins in');
  };
}
