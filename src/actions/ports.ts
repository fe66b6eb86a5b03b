import type { QueueItem, TrackInput } from '../core/track.ts';
import type { LyricsService } from '../lyrics/service.ts';
import type { ModeState, PlayMode } from '../mode/controller.ts';
import type { AudioFilter, EqGains, FilterPreset } from '../playback/filters.ts';
import type { LoopMode, SkipOutcome } from '../playback/player.ts';
import type { RadioService } from '../radio/service.ts';
import type { SpotifyDevice, SpotifyService } from '../spotify/service.ts';
import type { BlocklistRepository } from '../storage/db/blocklist.ts';
import type { GuildSettings, GuildSettingsRepository, SpotifyMode } from '../storage/db/guild-settings.ts';
import type { ChatCommandWords } from '../storage/db/twitch-links.ts';

/**
 * What the actions need from the services, as small interfaces: the composition root hands in the real
 * services, tests may hand in their own.
 */

/** Turns what a person typed (a URL, a search, a playlist) into tracks to queue: the provider registry. */
export interface TrackResolver {
  /** `guildId`: the guild that asks (Spotify reads its catalog with the guild's linked account). */
  resolve(
    query: string,
    options: { limit: number; guildId?: string; provider?: string; onTotal?: (total: number) => void },
  ): Promise<TrackInput[]>;
}

/**
 * The player controls: the voice player, or (with Spotify) the device-aware playback in front of it.
 * Absent in API-only mode without Spotify.
 */
export interface PlaybackControl {
  ensurePlaying(guildId: string, channelId: string | null): Promise<void>;
  /** Starts the queue where it needs no voice channel (a Spotify device, in device mode); false when not. */
  startWithoutVoice?(guildId: string): Promise<boolean>;
  requestSkip(
    guildId: string,
    request: { userId: string; privileged: boolean; ratio: number },
  ): Promise<SkipOutcome>;
  skip(guildId: string): Promise<QueueItem>;
  pause(guildId: string): Promise<QueueItem>;
  resume(guildId: string): Promise<QueueItem>;
  stop(guildId: string): Promise<void>;
  seek(guildId: string, positionMs: number): Promise<{ item: QueueItem; positionMs: number }>;
  setVolume(guildId: string, volume: number): Promise<number>;
  volume(guildId: string): number | null;
  setFilter(guildId: string, preset: FilterPreset | 'off'): Promise<AudioFilter>;
  setEq(guildId: string, eq: Partial<EqGains>): Promise<AudioFilter>;
  /** The session's filter; null when none is on. */
  filter(guildId: string): AudioFilter | null;
  setLoop(guildId: string, mode: LoopMode): Promise<LoopMode>;
  loop(guildId: string): LoopMode;
  status(guildId: string): { state: string; positionMs: number | null; channelId?: string | null };
  /**
   * Resolves once a track change in flight is done (the Spotify device player moves to the next song
   * between two requests to Spotify); {@link status} is only true after it.
   */
  settled?(guildId: string): Promise<void>;
}

/** The music/radio mode controller (src/mode). */
export interface ModePort {
  get(guildId: string): Promise<ModeState>;
  switchTo(
    guildId: string,
    mode: PlayMode,
    options?: { station?: string; channelId?: string | null; noticeChannelId?: string | null },
  ): Promise<ModeState>;
}

export type RadioPort = Pick<RadioService, 'list' | 'save' | 'remove' | 'status' | 'stop'>;

export type SettingsPort = Pick<GuildSettingsRepository, 'get' | 'update'>;

/** The guild's block lists (blocklist_entries). */
export type BlocklistPort = BlocklistRepository;

/** Overlay keys: issuing one rotates the previous away. */
export interface OverlayKeyPort {
  /** A new key and the overlay URL that carries it; the old key stops working at once. */
  issue(guildId: string): Promise<{ url: string; key: string }>;
  /** Whether the guild has a key at all (the key itself is never stored). */
  hasKey(guildId: string): Promise<boolean>;
}

/** The guild's linked Spotify account; null when Spotify is not configured. */
export interface SpotifyPort
  extends Pick<SpotifyService, 'startLink' | 'unlink' | 'status' | 'devices' | 'setDevice'> {
  mode(guildId: string): Promise<SpotifyMode>;
}

/** Lyrics from LRCLIB (src/lyrics), cached. */
export type LyricsPort = Pick<LyricsService, 'forTrack' | 'search' | 'byId'>;

export type { GuildSettings, SpotifyDevice };

/** Where a guild's playback is, as every front end shows it. */
export interface PlaybackState {
  state: string;
  positionMs: number | null;
  volume: number | null;
  /** The filter the playing song is heard through (none on a live stream, whatever the session's is). */
  filter: FilterView;
  loop: LoopMode;
  voiceChannelId: string | null;
  playing: QueueItem | null;
}
/** A guild's Twitch link as /twitch status and the REST API show it. */
export interface TwitchStatus {
  linked: boolean;
  channel: string | null;
  commands: ChatCommandWords | null;
  /**
   * `connected` (in the chat), `connecting`, `reconnecting`, `paused` (Twitch refused the bot's token;
   * linking again retries), `stopped`, `off` (this process does not read chat), `not-linked`.
   */
  state:
    | 'connecting'
    | 'connected'
    | 'reconnecting'
    | 'stopped'
    | 'auth-failed'
    | 'paused'
    | 'not-linked'
    | 'off';
  pausedReason: string | null;
  /** The bot account that reads and answers. */
  botAccount: string;
}

/** Twitch chat requests (src/twitch); null when TWITCH_USERNAME / TWITCH_OAUTH_TOKEN are unset. */
export interface TwitchPort {
  /** @throws UserError INVALID_INPUT, CONFLICT */
  link(guildId: string, channel: string, commands?: Partial<ChatCommandWords>): Promise<TwitchStatus>;
  /** @throws UserError NOT_FOUND */
  unlink(guildId: string): Promise<TwitchStatus>;
  status(guildId: string): Promise<TwitchStatus>;
}

export type { ChatCommandWords };

/** A filter as every front end shows it: what is on, how fast songs play, and a label for people. */
export interface FilterView extends AudioFilter {
  speed: number;
  /** `nightcore ×1.25`, `eq bass +6 dB`, or `off`. */
  label: string;
}
