import type { RequestCooldowns } from '../queue/request-rules.ts';
import type { QueueService } from '../queue/service.ts';
import type { PlaylistRepository } from '../storage/db/playlists.ts';
import { adminActions } from './admin.ts';
import { blocklistActions } from './blocklist.ts';
import { lyricsActions } from './lyrics.ts';
import { playbackActions } from './playback.ts';
import { playlistActions } from './playlists.ts';
import type {
  BlocklistPort,
  LyricsPort,
  ModePort,
  OverlayKeyPort,
  PlaybackControl,
  RadioPort,
  SettingsPort,
  SpotifyPort,
  TrackResolver,
  TwitchPort,
} from './ports.ts';
import { queueActions } from './queue.ts';
import { radioActions } from './radio.ts';
import type { RatingStore } from './rating.ts';
import { twitchActions } from './twitch.ts';

export type { Actor, Call, Permission } from './actor.ts';
export { apiActor } from './actor.ts';
export type { AddPlayback, AddResult } from './add.ts';
export { ADD_LIMIT } from './add.ts';
export type { BlocklistImport } from './blocklist.ts';
export type { Action } from './define.ts';
export type { LyricsInput, LyricsResult } from './lyrics.ts';
export type { FilterView, PlaybackState } from './playback.ts';
export type { LoadResult, PlaylistScope, SaveResult } from './playlists.ts';
export type * from './ports.ts';
export type { PanelView, RatingResult, RatingStore, RatingTally } from './rating.ts';
export { PANEL_UP_NEXT } from './rating.ts';

export interface ActionsDeps {
  queue: QueueService;
  tracks: TrackResolver;
  /** The player controls; null in API-only mode without Spotify. */
  playback: PlaybackControl | null;
  /** Whether this process joins voice channels (a bot), or runs API-only. */
  voice: boolean;
  settings: SettingsPort;
  /** 👍/👎 on played songs (Redis, or memory without it). */
  ratings: RatingStore;
  blocklist: BlocklistPort;
  /** Members' cooldowns between requests (the guild's request rules). */
  cooldowns: RequestCooldowns;
  mode: ModePort;
  radio: RadioPort;
  overlay: OverlayKeyPort;
  spotify: SpotifyPort | null;
  lyrics: LyricsPort;
  /** Saved playlists (PostgreSQL). */
  playlists: PlaylistRepository;
  /** Twitch chat requests; absent or null when the bot has no Twitch account. */
  twitch?: TwitchPort | null;
}

/**
 * The application layer: one action per user intent, shared by every front end (slash commands,
 * REST routes, reactions and buttons, Twitch chat). Each takes `{ guildId, actor }` and plain values, checks who may
 * run it (declared on the action), calls the services and returns a plain result.
 */
export function createActions(deps: ActionsDeps) {
  const djRoleOf = async (guildId: string) => (await deps.settings.get(guildId)).djRoleId;
  return {
    queue: queueActions({ ...deps, djRoleOf }),
    playback: playbackActions({ ...deps, djRoleOf }),
    radio: radioActions({ ...deps, djRoleOf }),
    admin: adminActions({ ...deps, djRoleOf }),
    blocklist: blocklistActions({ ...deps, djRoleOf }),
    lyrics: lyricsActions({ ...deps, djRoleOf }),
    playlists: playlistActions({ ...deps, djRoleOf }),
    twitch: twitchActions({ twitch: deps.twitch ?? null, djRoleOf }),
  };
}

export type Actions = ReturnType<typeof createActions>;
