import { randomBytes } from 'node:crypto';
import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
  type RepliableInteraction,
} from 'discord.js';
import type { Actions } from '../actions/index.ts';
import { isUserError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { Command, CommandContext, PanelPort, QueueMessagesPort, Reply, SentMessage } from './command.ts';
import type { ComponentHandler } from './components.ts';
import type { EditPacer } from './edit-pacer.ts';
import { firstChoices, fitContent, fitEmbeds, fitLabel, LIMITS } from './limits.ts';
import { describeMember } from './permissions.ts';

export interface RouterDeps {
  actions: Actions;
  messages: QueueMessagesPort;
  panels: PanelPort;
  /** Paces the reactions the bot adds, by the channel's bucket. */
  pacer: EditPacer;
  /** The guild's DJ role, to tell DJs from other members. */
  djRoleOf(guildId: string): Promise<string | null>;
}

/**
 * Routes interactions: slash commands to `commands/`, autocomplete to the command's handler, buttons and
 * menus to the component handler. Every interaction is answered (or deferred) within Discord's
 * 3-second window; a `UserError` becomes an ephemeral reply in plain words, anything else is logged
 * with a reference id and answered generically. Nothing thrown here reaches the client.
 */
export class InteractionRouter {
  private readonly commands: Map<string, Command>;
  private readonly deps: RouterDeps;
  private readonly components: ComponentHandler;
  private readonly logger: Logger;

  constructor(commands: Command[], deps: RouterDeps, components: ComponentHandler, logger: Logger) {
    this.commands = new Map(commands.map((c) => [c.data.name, c]));
    this.deps = deps;
    this.components = components;
    this.logger = logger;
  }

  async handle(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isChatInputCommand()) await this.command(interaction);
      else if (interaction.isAutocomplete()) await this.autocomplete(interaction);
      else if (interaction.isButton() || interaction.isStringSelectMenu()) {
        if (!interaction.inCachedGuild()) return this.notInGuild(interaction);
        const { call } = await this.context(interaction);
        const reply = await this.components.handle(interaction, call, this.deps.actions);
        await answer(interaction, reply, this.deps.pacer);
      }
    } catch (err) {
      await this.fail(interaction, err);
    }
  }

  private async command(interaction: ChatInputCommandInteraction): Promise<void> {
    const command = this.commands.get(interaction.commandName);
    if (!command) {
      this.logger.warn({ command: interaction.commandName }, 'unknown command');
      await interaction.reply({ content: 'I do not know that command.', flags: MessageFlags.Ephemeral });
      return;
    }
    if (!interaction.inCachedGuild()) return this.notInGuild(interaction);
    if (command.defer) await interaction.deferReply();
    const reply = await command.execute({ ...(await this.context(interaction)), interaction });
    await answer(interaction, reply, this.deps.pacer);
  }

  private async autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const command = this.commands.get(interaction.commandName);
    if (!command?.autocomplete || !interaction.inCachedGuild()) {
      await interaction.respond([]);
      return;
    }
    try {
      const choices = await command.autocomplete({ ...(await this.context(interaction)), interaction });
      await interaction.respond(
        firstChoices(choices).map((c) => ({ ...c, name: fitLabel(c.name, 'choice') })),
      );
    } catch (err) {
      this.logger.debug({ err }, 'autocomplete failed');
      if (!interaction.responded) await interaction.respond([]);
    }
  }

  /** The member as an actor (their roles and permissions read here, once) and what commands get. */
  private async context(interaction: Interaction<'cached'>): Promise<Omit<CommandContext, 'interaction'>> {
    const djRoleId = await this.deps.djRoleOf(interaction.guildId);
    const member = describeMember(interaction.member, djRoleId, interaction.memberPermissions);
    return {
      guildId: interaction.guildId,
      channelId: interaction.channelId ?? '',
      member,
      call: { guildId: interaction.guildId, actor: member },
      actions: this.deps.actions,
      messages: this.deps.messages,
      panels: this.deps.panels,
    };
  }

  private async notInGuild(interaction: RepliableInteraction): Promise<void> {
    this.logger.warn({ guildId: interaction.guildId }, 'interaction from a server I am not in');
    await interaction.reply({
      content: 'I only work in servers I have joined. Invite me to this server first.',
      flags: MessageFlags.Ephemeral,
    });
  }

  private async fail(interaction: Interaction, err: unknown): Promise<void> {
    if (!interaction.isRepliable()) {
      this.logger.error({ err }, 'interaction failed');
      return;
    }
    let content: string;
    if (isOptionError(err)) {
      content =
        'That command is missing an option or has one of the wrong type. Pick the options Discord offers.';
      this.logger.warn(
        { err: (err as Error).message, guildId: interaction.guildId },
        'malformed interaction options',
      );
    } else if (isUserError(err)) {
      content = err.message;
      this.logger.debug({ code: err.code, guildId: interaction.guildId }, 'user error');
    } else {
      const ref = randomBytes(4).toString('hex');
      this.logger.error({ err, ref, guildId: interaction.guildId }, 'interaction failed');
      content = `Something went wrong on my side (reference ${ref}). Please try again.`;
    }
    content = fitContent(content);
    try {
      if (interaction.deferred && !interaction.replied) {
        // The deferred reply is public: remove it and tell only the member what went wrong.
        await interaction.deleteReply().catch(() => {});
        await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
      } else if (interaction.replied) {
        await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
      } else {
        await interaction.reply({ content, flags: MessageFlags.Ephemeral });
      }
    } catch (replyErr) {
      this.logger.warn({ err: replyErr }, 'could not tell the member about an error');
    }
  }
}

/** discord.js's errors for a required option that is missing or of the wrong type. */
function isOptionError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('CommandInteractionOption');
}

/** An interaction's token may edit its reply for 15 minutes; a minute is kept in hand. */
const TOKEN_LIFETIME_MS = 14 * 60_000;

/**
 * Sends a command's reply: a first reply, or the edit of a deferred one. Content and embeds are cut to
 * Discord's limits here once more, so no reply is refused for its length.
 */
async function answer(interaction: RepliableInteraction, reply: Reply, pacer: EditPacer): Promise<void> {
  const body = {
    content: fitContent(reply.content ?? ''),
    embeds: fitEmbeds((reply.embeds ?? []).map((e) => e.toJSON())),
    components: (reply.components ?? []).slice(0, LIMITS.rows),
  };
  let message: { id: string; channelId: string; react(emoji: string): Promise<unknown> };
  if (reply.update && interaction.isMessageComponent()) {
    await interaction.update(body);
    return;
  }
  if (interaction.deferred && reply.ephemeral) {
    // The deferral was public: remove it and answer the member alone.
    await interaction.deleteReply().catch(() => {});
    await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
    return;
  } else if (interaction.deferred) {
    message = await interaction.editReply(body);
  } else {
    const flags = reply.ephemeral ? MessageFlags.Ephemeral : undefined;
    await interaction.reply({ ...body, flags });
    if (!reply.afterSend) return;
    message = await interaction.fetchReply();
  }
  if (reply.afterSend) {
    const sent: SentMessage = {
      id: message.id,
      channelId: message.channelId,
      ref: {
        channelId: message.channelId,
        messageId: message.id,
        webhook: { token: interaction.token, until: interaction.createdTimestamp + TOKEN_LIFETIME_MS },
      },
      react: async (emoji) => {
        const channel = message.channelId;
        pacer.submit(`reactions:${channel}`, `${message.id}:${emoji}`, 0, async () => {
          await message.react(emoji);
        });
      },
    };
    await reply.afterSend(sent);
  }
}
