import type { EventBus } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import type { Exclusive, GuildPlayer } from './guilds.ts';
import type { PlayerEvent } from './types.ts';

export interface IdleLeaveDeps {
  exclusive: Exclusive;
  /** Whether the guild stays in voice with nothing to play (24/7). */
  stayInVoice(guildId: string): Promise<boolean>;
  bus: EventBus<PlayerEvent>;
  log(guildId: string): Logger;
  idleTimeoutMs: number;
}

/**
 * Leaves the voice channel once a guild has had nothing to play for the idle timeout, unless the
 * guild stays in voice (24/7) or the radio has the channel.
 */
export class IdleLeave {
  private readonly deps: IdleLeaveDeps;

  constructor(deps: IdleLeaveDeps) {
    this.deps = deps;
  }

  /** Starts the guild's idle timer, when it has a voice connection and no timer runs yet. */
  arm(guildId: string, g: GuildPlayer): void {
    if (!g.session || g.idleTimer) return;
    g.idleTimer = setTimeout(() => {
      g.idleTimer = null;
      void this.deps
        .exclusive(guildId, async (guild) => {
          if (guild.state.kind !== 'idle' || !guild.session || guild.external) return;
          if (await this.deps.stayInVoice(guildId)) return;
          this.deps.log(guildId).info('leaving voice after the idle timeout');
          guild.session.leave();
          guild.session = null;
          this.deps.bus.publish({ type: 'player.idle', guildId, reason: 'stopped' });
        })
        .catch((err) => this.deps.log(guildId).warn({ err }, 'idle leave failed'));
    }, this.deps.idleTimeoutMs);
    g.idleTimer.unref();
  }

  /** Stops the guild's idle timer, if one runs. */
  cancel(g: GuildPlayer): void {
    if (!g.idleTimer) return;
    clearTimeout(g.idleTimer);
    g.idleTimer = null;
  }
}
