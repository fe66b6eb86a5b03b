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
import type { QueueItem, TrackInput } from '../core/track.ts';
import type { ModeState, PlayMode } from '../mode/controller.ts';
import type { LoopMode, SkipOutcome } from '../playback/player.ts';
import type { QueueService } from '../queue/service.ts';
import type { RadioService } from '../radio/service.ts';
import type { SpotifyService } from '../spotify/service.ts';
import type { SpotifyMode } from '../storage/db/guild-settings.ts';
import type { Member } from './permissions.ts';

/** The services a command may call. Commands call one of them and render its answer. */
export interface Services {
  queue: QueueService;
  settings: SettingsPort;
  playback: PlaybackPort;
  tracks: TrackResolver;
  messages: QueueMessagesPort;
  mode: ModePort;
  overlay: OverlayPort;
  radio: RadioPort;
  /** Null when Spotify is not configured (no SPOTIFY_CLIENT_ID). */
  spotify: SpotifyPort | null;
}

/** A guild's linked Spotify account (src/spotify): linking, status and the device playback goes to. */
export interface SpotifyPort
  extends Pick<SpotifyService, 'startLink' | 'unlink' | 'status' | 'devices' | 'setDevice'> {
  /** How Spotify songs play in the guild now: on the linked device, or matched into voice. */
  mode(guildId: string): Promise<SpotifyMode>;
}

/** Radio stations and what plays (src/radio). */
export type RadioPort = Pick<RadioService, 'list' | 'save' | 'remove' | 'status'>;

/** The music/radio mode controller (src/mode). */
export interface ModePort {
  get(guildId: string): Promise<ModeState>;
  /** @throws UserError INVALID_INPUT, STATION_NOT_FOUND, CONFLICT */
  switchTo(
    guildId: string,
    mode: PlayMode,
    options?: { station?: string; channelId?: string | null; noticeChannelId?: string | null },
  ): Promise<ModeState>;
}

/** Overlay keys: issuing one rotates the previous away. */
export interface OverlayPort {
  /** A new key and the overlay URL that carries it; the old key stops working at once. */
  issue(guildId: string): Promise<{ url: string }>;
  /** Whether the guild has a key at all (the key itself is never stored). */
  hasKey(guildId: string): Promise<boolean>;
}

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

/** Guild settings as the Discord layer sees them. */
export interface GuildSettingsView {
  djRoleId: string | null;
  voteSkipRatio: number;
  maxQueueLength: number | null;
  maxPerUser: number | null;
  defaultVolume: number;
  stayInVoice: boolean;
  /** device | voice; absent (or null in a change): automatic (device once an account is linked). */
  spotifyMode?: 'device' | 'voice' | null;
}

export interface SettingsPort {
  get(guildId: string): Promise<GuildSettingsView>;
  update(guildId: string, patch: Partial<GuildSettingsView>): Promise<GuildSettingsView>;
}

/** Turns what a member typed into tracks to queue (a URL, a search, a playlist). */
export interface TrackResolver {
  /** `guildId`: the guild that asks (Spotify reads its catalog with the guild's linked account). */
  resolve(query: string, options: { limit: number; guildId?: string }): Promise<TrackInput[]>;
  suggest?(query: string): Promise<{ name: string; value: string }[]>;
}

/** What commands need from the music player. */
export interface PlaybackPort {
  /** Starts playing in the member's voice channel when idle; no-op when already playing there. */
  ensurePlaying(guildId: string, voiceChannelId: string | null): Promise<void>;
  /**
   * Starts the queue where it needs no voice channel (a Spotify device, in device mode) when it is
   * that player's turn; false otherwise. Absent without Spotify.
   */
  startWithoutVoice?(guildId: string): Promise<boolean>;
  /**
   * Skips at once for the requester or a DJ; anyone else's request counts toward a vote-skip.
   * @throws UserError NOTHING_PLAYING, NOT_IN_VOICE (a vote from outside the channel)
   */
  requestSkip(
    guildId: string,
    request: { userId: string; privileged: boolean; ratio: number },
  ): Promise<SkipOutcome>;
  pause(guildId: string): Promise<QueueItem>;
  resume(guildId: string): Promise<QueueItem>;
  stop(guildId: string): Promise<void>;
  /** @throws UserError NOTHING_PLAYING, CONFLICT (live), INVALID_INPUT */
  seek(guildId: string, positionMs: number): Promise<{ item: QueueItem; positionMs: number }>;
  /** @throws UserError INVALID_INPUT */
  setVolume(guildId: string, volume: number): Promise<number>;
  volume(guildId: string): number | null;
  setLoop(guildId: string, mode: LoopMode): Promise<LoopMode>;
  loop(guildId: string): LoopMode;
  /** Members (not bots) listening in the bot's voice channel, for vote-skips. */
  listeners(guildId: string): string[];
  status(guildId: string): { state: string; positionMs: number | null };
}

export interface CommandContext {
  guildId: string;
  channelId: string;
  member: Member;
  services: Services;
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
