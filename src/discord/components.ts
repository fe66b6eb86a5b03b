import {
  ActionRowBuilder,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  type MessageActionRowComponentBuilder,
  StringSelectMenuBuilder,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { Actions, Call } from '../actions/index.ts';
import { UserError } from '../core/errors.ts';
import type { QueueItem } from '../core/track.ts';
import type { ComponentRow, PanelPort, Reply } from './command.ts';
import { boldTitle } from './format.ts';
import { firstOptions, fitLabel } from './limits.ts';
import { lyricsReply, parseLyricsButton } from './lyrics.ts';
import { pressPanelButton } from './panel-buttons.ts';
import { PANEL_PREFIX } from './panel-view.ts';

export const QUEUE_PICK = 'queue:pick';
export const QUEUE_UP = 'queue:up';
export const QUEUE_DOWN = 'queue:down';
const VOTE_PREFIX = 'vote:';

/** Rows under a /queue message: a menu to pick a song, and ▲/▼ to vote on the pick. */
export function queueComponents(items: QueueItem[]): ComponentRow[] {
  if (items.length === 0) return [];
  const menu = new StringSelectMenuBuilder()
    .setCustomId(QUEUE_PICK)
    .setPlaceholder('Pick a song to vote on')
    .addOptions(
      firstOptions(items).map((item) => ({
        label: fitLabel(`#${item.position} ${item.track.title}`, 'select'),
        description: `${item.votes >= 0 ? '+' : ''}${item.votes} votes`,
        value: item.id,
      })),
    );
  const buttons = [
    new ButtonBuilder().setCustomId(QUEUE_UP).setLabel('▲').setStyle(ButtonStyle.Success),
    new ButtonBuilder().setCustomId(QUEUE_DOWN).setLabel('▼').setStyle(ButtonStyle.Danger),
  ];
  return [
    new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(menu),
    new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(...buttons),
  ];
}

/** ▲/▼ buttons for one item; the item id travels in the custom id, so they work after a restart. */
export function voteButtons(itemId: string): ComponentRow {
  return new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(`${VOTE_PREFIX}up:${itemId}`)
      .setLabel('▲ Up')
      .setStyle(ButtonStyle.Success),
    new ButtonBuilder()
      .setCustomId(`${VOTE_PREFIX}down:${itemId}`)
      .setLabel('▼ Down')
      .setStyle(ButtonStyle.Danger),
  );
}

/**
 * Buttons and menus on the bot's messages. A member's pick in a /queue menu is remembered per message
 * for the ▲/▼ buttons under it (in this process; after a restart the member picks again).
 */
export class ComponentHandler {
  private readonly picks = new Map<string, { itemId: string; at: number }>();
  private readonly panels: PanelPort | null;

  /** `panels`: the control panel, refreshed after one of its buttons did something. */
  constructor(panels: PanelPort | null = null) {
    this.panels = panels;
  }

  async handle(
    interaction: ButtonInteraction | StringSelectMenuInteraction,
    call: Call,
    actions: Actions,
  ): Promise<Reply> {
    const key = `${interaction.message.id}:${call.actor.userId}`;
    if (interaction.isStringSelectMenu() && interaction.customId === QUEUE_PICK) {
      const itemId = interaction.values[0] ?? '';
      const item = await actions.queue.find(call, { item: itemId });
      this.remember(key, itemId);
      return {
        ephemeral: true,
        content: `${boldTitle(item.track.title)} is #${item.position ?? '-'} with ${item.votes} votes. Vote:`,
        components: [voteButtons(itemId)],
      };
    }
    if (interaction.isButton()) {
      const id = interaction.customId;
      if (id === QUEUE_UP || id === QUEUE_DOWN) {
        const pick = this.picks.get(key);
        if (!pick) throw new UserError('INVALID_INPUT', 'Pick a song in the menu first, then press ▲ or ▼.');
        return vote(actions, call, pick.itemId, id === QUEUE_UP ? 1 : -1);
      }
      if (id.startsWith(PANEL_PREFIX)) {
        const reply = await pressPanelButton(id, call, actions);
        this.panels?.refresh(call.guildId);
        return reply;
      }
      const lyrics = parseLyricsButton(id);
      if (lyrics) {
        const result = await actions.lyrics.find(call, { id: lyrics.id });
        return { ...lyricsReply(result, lyrics), update: true };
      }
      const match = /^vote:(up|down):(.+)$/.exec(id);
      if (match) return vote(actions, call, match[2]!, match[1] === 'up' ? 1 : -1);
    }
    throw new UserError('INVALID_INPUT', 'That button is no longer in use.');
  }

  private remember(key: string, itemId: string): void {
    const now = Date.now();
    this.picks.set(key, { itemId, at: now });
    if (this.picks.size > 10_000) {
      for (const [k, v] of this.picks) if (now - v.at > 3_600_000) this.picks.delete(k);
    }
  }
}

async function vote(actions: Actions, call: Call, itemId: string, dir: 1 | -1): Promise<Reply> {
  const result = await actions.queue.vote(call, { item: itemId, direction: dir });
  return {
    ephemeral: true,
    content: `Voted ${dir === 1 ? 'up' : 'down'}: ${boldTitle(result.item.track.title)} is now #${result.position} with ${result.votes} votes.`,
  };
}
