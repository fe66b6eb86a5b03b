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

/**
 * A message of the bot; `webhook` when it is an interaction's reply, which may be edited through the
 * interaction's token (a rate-limit bucket of its own) until `until` (epoch ms).
 */
export interface MessageRef {
  channelId: string;
  messageId: string;
  webhook?: { token: string; until: number };
}

/** Keeps the bot's public queue messages current (src/discord/queue-messages.ts). */
export interface QueueMessagesPort {
  watchQueueMessage(guildId: string, ref: MessageRef, page: number): void;
  watchTrackMessage(guildId: string, itemId: string, ref: MessageRef, shown: string): void;
}

/** What commands and buttons tell the control panel (src/discord/panel.ts). */
export interface PanelPort {
  /** `/panel` was answered with `ref`: it is the guild's panel now; the previous one is deleted. */
  placed(guildId: string, ref: MessageRef): Promise<void>;
  /** Something the panel shows changed without an event (a loop change, a rating). */
  refresh(guildId: string): void;
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
  /** The guild's control panel (`/panel`). */
  panels: PanelPort;
  interaction: ChatInputCommandInteraction;
}

export type ComponentRow = ActionRowBuilder<MessageActionRowComponentBuilder>;

export interface Reply {
  content?: string;
  embeds?: EmbedBuilder[];
  components?: ComponentRow[];
  /** Only the member sees it. */
  ephemeral?: boolean;
  /** For a button: edit the message the button is on instead of answering with a new one. */
  update?: boolean;
  /** After the reply is sent: e.g. add vote reactions and link the message to a queue item. */
  afterSend?: (message: SentMessage) => Promise<void>;
}

/** The part of a sent message that follow-up work needs, without discord.js in the signature. */
export interface SentMessage {
  id: string;
  channelId: string;
  /** Where to edit it later (see `MessageRef`). */
  ref: MessageRef;
  /**
   * Adds a reaction, paced by the channel's bucket and in the order asked; resolves once queued, so
   * nothing waits for it. Failures are logged, never thrown.
   */
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
