import type {
  ActionRowBuilder,
  APIApplicationCommandOptionChoice,
  AutocompleteInteraction,
  ButtonBuilder,
  ChatInputCommandInteraction,
  EmbedBuilder,
  MessageActionRowComponentBuilder,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  StringSelectMenuBuilder,
} from 'discord.js';
import type { Actions, Actor, Call } from '../actions/index.ts';

/** Keeps the bot's public queue messages current (src/discord/queue-messages.ts). */
export interface QueueMessagesPort {
  watchQueueMessage(guildId: string, ref: { channelId: string; messageId: string }, page: number): void;
  watchTrackMessage(
    guildId: string,
    itemId: string,
    ref: { channelId: string; messageId: string },
    shown: string,
  ): void;
}

/**
 * What a command gets: the actions (src/actions), the call to pass them (guild and the member as an
 * actor, permissions already described), the queue messages to keep current, and the interaction to
 * read its options from. A command parses, calls one action and renders the result.
 */
export interface CommandContext {
  guildId: string;
  channelId: string;
  member: Actor;
  call: Call;
  actions: Actions;
  messages: QueueMessagesPort;
  interaction: ChatInputCommandInteraction;
}

export type ComponentRow = ActionRowBuilder<MessageActionRowComponentBuilder>;

export interface Reply {
  content?: string;
  embeds?: EmbedBuilder[];
  components?: ComponentRow[];
  /** Only the member sees it. */
  ephemeral?: boolean;
  /** After the reply is sent: e.g. add vote reactions and link the message to a queue item. */
  afterSend?: (message: SentMessage) => Promise<void>;
}

/** The part of a sent message that follow-up work needs, without discord.js in the signature. */
export interface SentMessage {
  id: string;
  channelId: string;
  react(emoji: string): Promise<void>;
}

export interface Command {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Defer the reply first (for work that may take longer than Discord's 3-second window). */
  defer?: boolean;
  execute(ctx: CommandContext): Promise<Reply>;
  autocomplete?(
    ctx: Omit<CommandContext, 'interaction'> & { interaction: AutocompleteInteraction },
  ): Promise<APIApplicationCommandOptionChoice<string>[]>;
}

export type { ButtonBuilder, StringSelectMenuBuilder };
