import { UserError } from '../core/errors.ts';
import { closeSource, type Exclusive, type GuildPlayer } from './guilds.ts';
import type { PlayableStream, VoiceSession } from './ports.ts';
import type { PlayerState } from './state.ts';
import type { ExternalAudio } from './types.ts';

export interface ExternalPlaybackDeps {
  exclusive: Exclusive;
  /** Joins the channel and follows the session (`VoiceLink.connect`). */
  connect(guildId: string, g: GuildPlayer, channelId: string): Promise<VoiceSession>;
  /** Moves the guild's player to another state (`Transitions.to`). */
  transition(guildId: string, g: GuildPlayer, next: PlayerState): void;
  /** Starts the idle timer (the channel has nothing to play once the live source stops). */
  armIdle(guildId: string, g: GuildPlayer): void;
}

/**
 * Someone else's audio (a radio station) in a guild's voice session, over an idle or paused queue:
 * the queue's songs wait, and a paused song is re-opened at its place when it resumes.
 */
export class ExternalPlayback {
  private readonly deps: ExternalPlaybackDeps;

  constructor(deps: ExternalPlaybackDeps) {
    this.deps = deps;
  }

  /**
   * Plays a live source in the guild's voice session: the one the bot is in, else `channelId`.
   * Music must be paused or idle (the mode controller pauses it). `audio` hears when the source ends
   * or the session goes.
   * @throws UserError CONFLICT (music playing), NOT_IN_VOICE, and the voice layer's join errors
   */
  play(
    guildId: string,
    channelId: string | null,
    source: PlayableStream,
    audio: ExternalAudio,
  ): Promise<void> {
    return this.deps.exclusive(guildId, async (g) => {
      if (g.state.kind === 'playing' || g.state.kind === 'starting' || g.state.kind === 'connecting') {
        source.close();
        throw new UserError('CONFLICT', 'Music is playing: switch the mode to radio to play a station.');
      }
      if (!g.session) {
        if (!channelId) {
          source.close();
          throw new UserError('NOT_IN_VOICE', 'Join a voice channel first, then try again.');
        }
        await this.deps.connect(guildId, g, channelId).catch((err) => {
          source.close();
          throw err;
        });
        this.deps.transition(guildId, g, { kind: 'idle' });
      }
      if (g.state.kind === 'paused' && g.source) {
        closeSource(g);
        g.musicStale = true;
      }
      g.external = audio;
      try {
        await g.session!.play(source);
      } catch (err) {
        g.external = null;
        source.close();
        throw err;
      }
    });
  }

  /** Stops the live source, if one plays; the bot stays in the channel (the idle timer runs). */
  stop(guildId: string): Promise<void> {
    return this.deps.exclusive(guildId, async (g) => {
      if (!g.external) return;
      g.external = null;
      g.session?.stopTrack();
      if (g.state.kind === 'idle') this.deps.armIdle(guildId, g);
    });
  }
}
