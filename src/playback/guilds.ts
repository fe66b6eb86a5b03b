import { KeyedMutex } from '../core/keyed-mutex.ts';
import type { AudioFilter } from './filters.ts';
import type { PlayableStream, VoiceSession } from './ports.ts';
import type { PlayerState } from './state.ts';
import type { ExternalAudio, LoopMode } from './types.ts';

/** One guild's player: its state and what it holds. */
export interface GuildPlayer {
  state: PlayerState;
  session: VoiceSession | null;
  source: PlayableStream | null;
  idleTimer: NodeJS.Timeout | null;
  loop: LoopMode;
  /** 0..100; null: the guild's default volume. */
  volume: number | null;
  /** The audio filter (preset and equaliser) for this session; null: none. Not saved across restarts. */
  filter: AudioFilter | null;
  /** A live source (the radio) that has the voice session over an idle or paused queue. */
  external: ExternalAudio | null;
  /** The paused song's audio was replaced (by the radio): resuming re-opens it at its place. */
  musicStale: boolean;
  /** The first song's audio, opened while the voice connection was being made (see `PlayFlow.preopen`). */
  preopened: Promise<{ itemId: string; source: PlayableStream } | null> | null;
}

/** Runs one change to a guild's player at a time (the per-guild lock). */
export type Exclusive = <T>(guildId: string, fn: (g: GuildPlayer) => Promise<T>) => Promise<T>;

/**
 * Every guild's player, created on first use, and the per-guild lock: everything that changes a
 * guild's player runs inside `exclusive`, one change at a time and in order.
 */
export class PlayerGuilds {
  private readonly guilds = new Map<string, GuildPlayer>();
  private readonly mutex = new KeyedMutex();

  /** The guild's player, created idle on first use. */
  get(guildId: string): GuildPlayer {
    let g = this.guilds.get(guildId);
    if (!g) {
      g = {
        state: { kind: 'idle' },
        session: null,
        source: null,
        idleTimer: null,
        loop: 'off',
        volume: null,
        filter: null,
        external: null,
        musicStale: false,
        preopened: null,
      };
      this.guilds.set(guildId, g);
    }
    return g;
  }

  /** The guild's player if it has one (reading never creates one). */
  peek(guildId: string): GuildPlayer | undefined {
    return this.guilds.get(guildId);
  }

  entries(): IterableIterator<[string, GuildPlayer]> {
    return this.guilds.entries();
  }

  /** Runs `fn` with the guild's player once the guild's earlier changes are done. */
  readonly exclusive: Exclusive = (guildId, fn) => {
    const g = this.get(guildId);
    return this.mutex.run(guildId, () => fn(g));
  };
}

/** Releases the playing song's audio (sockets, decoder), if any. */
export function closeSource(g: GuildPlayer): void {
  g.source?.close();
  g.source = null;
}

/** Tells the external audio (if any) that the session is gone, and forgets it. */
export function dropExternal(g: GuildPlayer, reason: string): void {
  const external = g.external;
  g.external = null;
  external?.onGone(reason);
}
