import { type Client, DiscordAPIError, type MessageEditOptions, RESTJSONErrorCodes } from 'discord.js';
import type { Actions, Actor } from '../actions/index.ts';
import type { EventBus } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import type { PlayerEvent } from '../playback/player.ts';
import type { QueueEvent } from '../queue/events.ts';
import type { PanelLocation, PanelLocations } from '../storage/panel/locations.ts';
import type { MessageRef, PanelPort } from './command.ts';
import type { EditPacer } from './edit-pacer.ts';
import { panelMessage } from './panel-view.ts';

/** A short wait after a change, so that a burst (a song ends, the next starts) is read once. */
const COALESCE_MS = 250;
/** Panel edits go after the /queue message's and before track messages' in the channel's bucket. */
const PRIORITY = 1;

/** Who reads the panel's view: nobody in particular (the view is everyone's to see). */
const PANEL_READER: Actor = {
  userId: '0',
  displayName: 'control panel',
  isAdmin: false,
  isDj: false,
  voiceChannelId: null,
};

interface Panel extends PanelLocation {
  /** The last body handed to the pacer, to skip edits that change nothing. */
  shown: string | null;
  playing: boolean;
}

export interface PanelMessagesDeps {
  client: Client;
  actions: Actions;
  locations: PanelLocations;
  pacer: EditPacer;
  queueBus: EventBus<QueueEvent>;
  playerBus: EventBus<PlayerEvent>;
  /** How often a playing song's progress line is refreshed. */
  refreshMs: number;
  logger: Logger;
}

/**
 * Each guild's one control panel message (`/panel`), kept current: a queue or player event, or a
 * button, leads to one read of the view shortly after, and an edit through the edit pacer in the
 * channel's bucket (a newer edit replaces one still waiting: last write wins); while a song plays, a
 * slow tick moves its progress line. The panel's place is stored (Redis), so a restarted bot edits the
 * same message; one deleted meanwhile (Discord's 10008 Unknown Message on the edit) is posted again in
 * its channel.
 */
export class PanelMessages implements PanelPort {
  private readonly deps: PanelMessagesDeps;
  /** Guilds whose place was read: their panel, or null for none. */
  private readonly panels = new Map<string, Panel | null>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly tick: NodeJS.Timeout;

  constructor(deps: PanelMessagesDeps) {
    this.deps = deps;
    deps.queueBus.subscribe((event) => {
      if (event.type === 'queue.updated') this.refresh(event.guildId);
    });
    deps.playerBus.subscribe((event) => this.refresh(event.guildId));
    this.tick = setInterval(() => {
      for (const [guildId, panel] of this.panels) if (panel?.playing) this.refresh(guildId);
    }, deps.refreshMs);
    this.tick.unref();
  }

  stop(): void {
    clearInterval(this.tick);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  async placed(guildId: string, ref: MessageRef): Promise<void> {
    const before = await this.panel(guildId);
    const location = { channelId: ref.channelId, messageId: ref.messageId };
    await this.deps.locations.set(guildId, location);
    this.panels.set(guildId, { ...location, shown: null, playing: before?.playing ?? true });
    if (before && before.messageId !== ref.messageId) {
      // One panel per guild: the old one goes (it may be gone already).
      const channel = this.deps.client.channels.cache.get(before.channelId);
      if (channel?.isTextBased())
        await channel.messages
          .delete(before.messageId)
          .catch((err) => this.deps.logger.debug({ err: err?.message, guildId }, 'old panel not deleted'));
    }
  }

  refresh(guildId: string): void {
    if (this.timers.has(guildId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(guildId);
      // One refresh at a time per guild; a change during it schedules the next one.
      const before = this.running.get(guildId) ?? Promise.resolve();
      const run = before
        .then(() => this.flush(guildId))
        .catch((err) => this.deps.logger.warn({ err, guildId }, 'updating the control panel failed'))
        .finally(() => {
          if (this.running.get(guildId) === run) this.running.delete(guildId);
        });
      this.running.set(guildId, run);
    }, COALESCE_MS);
    timer.unref();
    this.timers.set(guildId, timer);
  }

  /** Reads the view and hands the pacer the panel's edit when its text changed. */
  async flush(guildId: string): Promise<void> {
    const panel = await this.panel(guildId);
    if (!panel) return;
    const view = await this.deps.actions.playback.panelView({ guildId, actor: PANEL_READER });
    panel.playing = view.playback.state === 'playing';
    const body = panelMessage(view);
    const text = JSON.stringify(body);
    if (text === panel.shown) return;
    panel.shown = text;
    this.deps.pacer.submit(`channel:${panel.channelId}`, `panel:${guildId}`, PRIORITY, () =>
      this.send(guildId, body),
    );
  }

  /** The guild's panel, read from the store once. */
  private async panel(guildId: string): Promise<Panel | null> {
    if (this.panels.has(guildId)) return this.panels.get(guildId) ?? null;
    const stored = await this.deps.locations.get(guildId);
    const panel = stored ? { ...stored, shown: null, playing: false } : null;
    // A /panel that answered meanwhile wins over what was read.
    if (!this.panels.has(guildId)) this.panels.set(guildId, panel);
    return this.panels.get(guildId) ?? null;
  }

  /** Edits the panel; one deleted meanwhile is posted again in its channel, and its new place stored. */
  private async send(guildId: string, body: MessageEditOptions): Promise<void> {
    const panel = this.panels.get(guildId);
    if (!panel) return;
    const channel = this.deps.client.channels.cache.get(panel.channelId);
    if (!channel?.isSendable()) {
      await this.forget(guildId, 'its channel is gone');
      return;
    }
    try {
      await channel.messages.edit(panel.messageId, body);
    } catch (err) {
      if (!(err instanceof DiscordAPIError)) throw err;
      if (err.code === RESTJSONErrorCodes.UnknownChannel) return this.forget(guildId, 'its channel is gone');
      if (err.code !== RESTJSONErrorCodes.UnknownMessage) throw err;
      const sent = await channel.send({ embeds: body.embeds ?? [], components: body.components ?? [] });
      // The stored place moves only if no /panel placed another panel meanwhile.
      if (this.panels.get(guildId) !== panel) return;
      panel.messageId = sent.id;
      await this.deps.locations.set(guildId, { channelId: panel.channelId, messageId: sent.id });
      this.deps.logger.info(
        { guildId, channelId: panel.channelId },
        'control panel was deleted: posted again',
      );
    }
  }

  private async forget(guildId: string, why: string): Promise<void> {
    this.panels.set(guildId, null);
    await this.deps.locations.delete(guildId);
    this.deps.logger.info({ guildId, why }, 'control panel forgotten');
  }
}
