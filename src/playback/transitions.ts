import type { GuildPlayer } from './guilds.ts';
import { type PlayerState, TRANSITIONS } from './state.ts';

export interface TransitionsDeps {
  /** The idle timer: runs while the player is idle with a voice connection. */
  idle: { arm(guildId: string, g: GuildPlayer): void; cancel(g: GuildPlayer): void };
  /** Saves where playback is, for a resume after a restart. */
  snapshots: { save(guildId: string, g: GuildPlayer): Promise<void> };
}

/**
 * The one place where a guild's player changes state: checks the move against `TRANSITIONS`, runs
 * the idle timer only while idle, and saves a snapshot whenever the player settles (idle, playing,
 * paused).
 */
export class Transitions {
  private readonly deps: TransitionsDeps;

  constructor(deps: TransitionsDeps) {
    this.deps = deps;
  }

  /** Moves the guild's player to `next`. @throws Error when the move is not allowed (a bug) */
  to(guildId: string, g: GuildPlayer, next: PlayerState): void {
    if (!TRANSITIONS[g.state.kind].includes(next.kind)) {
      throw new Error(`player ${guildId}: no transition ${g.state.kind} -> ${next.kind}`);
    }
    g.state = next;
    if (next.kind !== 'idle') this.deps.idle.cancel(g);
    if (next.kind === 'idle') this.deps.idle.arm(guildId, g);
    if (next.kind === 'idle' || next.kind === 'playing' || next.kind === 'paused')
      void this.deps.snapshots.save(guildId, g);
  }
}
