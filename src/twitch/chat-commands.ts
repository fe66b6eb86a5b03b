import type { Actor, Call } from '../actions/actor.ts';
import type { QueueActions } from '../actions/queue.ts';
import { isUserError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { QueueItem } from '../core/track.ts';
import type { TwitchLink } from '../storage/db/twitch-links.ts';
import { type ChatCommand, chatReply, cleanChatText, parseChatCommand } from './chat-text.ts';

/** A chat viewer as the IRC tags describe them. */
export interface ChatViewer {
  /** The `user-id` tag: Twitch's numeric user id. */
  userId: string;
  /** The `display-name` tag (the login when it is empty). */
  displayName: string;
  /** The `mod` tag, or a `moderator` / `broadcaster` badge. */
  isModerator: boolean;
  isBroadcaster: boolean;
}

/** How many queued songs `!queue` lists (a chat line stays short). */
const QUEUE_SHOWN = 5;

/** The actor for a viewer: `twitch:<user-id>` (apart from Discord ids), moderators and the broadcaster as DJs. */
export function viewerActor(viewer: ChatViewer): Actor {
  const name = cleanChatText(viewer.displayName).slice(0, 25) || 'viewer';
  return {
    userId: `twitch:${viewer.userId}`,
    displayName: name,
    isAdmin: false,
    isDj: viewer.isModerator || viewer.isBroadcaster,
    voiceChannelId: null,
    source: 'twitch',
  };
}

function song(item: QueueItem): string {
  const t = item.track;
  return `"${t.title}${t.artist ? ` by ${t.artist}` : ''}"`;
}

function requester(item: QueueItem): string {
  return item.requester?.name ?? 'someone on Discord';
}

/**
 * The chat front end: reads a viewer's line, calls one action, and renders the reply as one chat line
 * addressed to them (null: the line was no command, nothing to say). Never throws: a refusal is said
 * in chat, anything else is logged and answered generically, so one viewer's bad line costs nobody
 * their queue.
 */
export class ChatCommands {
  private readonly queue: Pick<QueueActions, 'add' | 'vote' | 'nowPlaying' | 'page'>;
  private readonly logger: Logger;

  constructor(deps: { queue: Pick<QueueActions, 'add' | 'vote' | 'nowPlaying' | 'page'>; logger: Logger }) {
    this.queue = deps.queue;
    this.logger = deps.logger;
  }

  async handle(link: TwitchLink, viewer: ChatViewer, text: string): Promise<string | null> {
    const command = parseChatCommand(text, link.commands);
    if (!command) return null;
    const actor = viewerActor(viewer);
    const call: Call = { guildId: link.guildId, actor };
    try {
      return chatReply(actor.displayName, await this.run(link, call, command));
    } catch (err) {
      if (isUserError(err)) return chatReply(actor.displayName, err.message);
      this.logger.error(
        { err, guildId: link.guildId, channel: link.channel, command: command.kind },
        'twitch chat command failed',
      );
      return chatReply(actor.displayName, 'Something went wrong with that; try again in a moment.');
    }
  }

  private async run(link: TwitchLink, call: Call, command: ChatCommand): Promise<string> {
    const words = link.commands;
    switch (command.kind) {
      case 'too-long':
        return `That message is too long (Twitch allows 500 characters); nothing was done.`;
      case 'request': {
        if (!command.query) return `Type !${words.request} followed by a link or the song's name.`;
        const result = await this.queue.add(call, { query: command.query });
        const first = result.added[0]!;
        const where =
          result.nowPlaying?.id === first.item.id ? 'playing now' : `queued at #${first.position}`;
        const more = result.added.length > 1 ? ` (+${result.added.length - 1} more)` : '';
        const left =
          result.notQueued > 0
            ? ` ${result.notQueued} not queued: ${result.notQueuedReason?.message ?? ''}`
            : '';
        const wait =
          result.playback === 'waiting-for-voice' ? ' It plays once the bot is in a voice channel.' : '';
        return `${song(first.item)} ${where}${more}.${left}${wait}`;
      }
      case 'vote': {
        if (!/^\d{1,4}$/.test(command.item) || command.item === '0') {
          const word = command.direction === 1 ? words.voteUp : words.voteDown;
          return `Type !${word} followed by the song's number in !${words.queue}, e.g. !${word} 2.`;
        }
        const result = await this.queue.vote(call, { item: command.item, direction: command.direction });
        const score = `${result.votes > 0 ? '+' : ''}${result.votes}`;
        return `voted ${command.direction === 1 ? 'up' : 'down'} ${song(result.item)} (${score}, now #${result.position}).`;
      }
      case 'song': {
        const item = await this.queue.nowPlaying(call, undefined);
        if (!item) return `Nothing is playing. Request a song with !${words.request}.`;
        return `Now playing ${song(item)}, requested by ${requester(item)}.`;
      }
      case 'queue': {
        const page = await this.queue.page(call, { page: 1, size: QUEUE_SHOWN });
        if (page.total === 0) return `The queue is empty. Request a song with !${words.request}.`;
        const list = page.items.map((i) => `#${i.position} ${song(i)} (${i.votes > 0 ? '+' : ''}${i.votes})`);
        const more = page.total > page.items.length ? ` … ${page.total} in all.` : '';
        return `Next: ${list.join(' · ')}${more}`;
      }
    }
  }
}
