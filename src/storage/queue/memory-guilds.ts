import type { Clock } from '../../core/clock.ts';
import type { StoredItem } from '../../core/track.ts';
import type { HistoryRow } from './items.ts';
import type { Entry } from './memory-order.ts';
import type { DevicePlayback, PlaybackSnapshot } from './store.ts';

/** Everything the in-memory store keeps of one guild: the Redis store's keys, as plain data. */
export interface GuildState {
  expiresAt: number;
  seq: number;
  /** Queued ids sorted by score, lowest (plays first) first; same scoring as the Redis store. */
  order: Entry[];
  items: Map<string, StoredItem>;
  votes: Map<string, number>;
  voters: Map<string, Map<string, 1 | -1>>;
  playing: { id: string; startedAt: string } | null;
  history: HistoryRow[];
  counters: Counters;
  requesters: Map<string, number>;
  tracks: Map<string, { plays: number; title: string; artist: string | null; provider: string }>;
  perUser: Map<string, number>;
  messages: Map<string, string>;
  playback: PlaybackSnapshot | null;
  device: DevicePlayback | null;
}

/** A guild's state without its expiry: what a snapshot of the Redis store's keys holds. */
export type GuildSnapshot = Omit<GuildState, 'expiresAt'>;

export interface Counters {
  added: number;
  played: number;
  skipped: number;
  removed: number;
  votes: number;
  playedMs: number;
}

/** How the parts of the in-memory store reach a guild's state. */
export interface GuildAccess {
  /** The guild's live state, or undefined when it has none or it expired. */
  read(guildId: string): GuildState | undefined;
  /** The guild's state for a change: created when missing, its expiry pushed back. */
  write(guildId: string): GuildState;
  /** Every guild that has (or had, until the next read) state. */
  ids(): string[];
}

/**
 * The guilds' states in this process's memory. A guild's state expires `ttlSeconds` after its last
 * change, like the Redis keys; expired states are dropped when read, and swept every 1000 changes
 * so that guilds nobody reads again do not pile up.
 */
export class MemoryGuilds implements GuildAccess {
  private readonly guilds = new Map<string, GuildState>();
  private readonly ttlSeconds: number;
  private readonly clock: Clock;
  private mutations = 0;

  constructor(ttlSeconds: number, clock: Clock) {
    this.ttlSeconds = ttlSeconds;
    this.clock = clock;
  }

  read(guildId: string): GuildState | undefined {
    const state = this.guilds.get(guildId);
    if (state && state.expiresAt <= this.clock.now()) {
      this.guilds.delete(guildId);
      return undefined;
    }
    return state;
  }

  write(guildId: string): GuildState {
    if (++this.mutations % 1000 === 0) this.sweep();
    let state = this.read(guildId);
    if (!state) {
      state = emptyGuild();
      this.guilds.set(guildId, state);
    }
    state.expiresAt = this.clock.now() + this.ttlSeconds * 1000;
    return state;
  }

  ids(): string[] {
    return [...this.guilds.keys()];
  }

  /** Replaces the guild's whole state (the queue store's local copy is loaded this way). */
  load(guildId: string, snapshot: GuildSnapshot): void {
    if (++this.mutations % 1000 === 0) this.sweep();
    this.guilds.set(guildId, { ...snapshot, expiresAt: this.clock.now() + this.ttlSeconds * 1000 });
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [id, state] of this.guilds) if (state.expiresAt <= now) this.guilds.delete(id);
  }
}

export function emptyCounters(): Counters {
  return { added: 0, played: 0, skipped: 0, removed: 0, votes: 0, playedMs: 0 };
}

function emptyGuild(): GuildState {
  return {
    expiresAt: 0,
    seq: 0,
    order: [],
    items: new Map(),
    votes: new Map(),
    voters: new Map(),
    playing: null,
    history: [],
    counters: emptyCounters(),
    requesters: new Map(),
    tracks: new Map(),
    perUser: new Map(),
    messages: new Map(),
    playback: null,
    device: null,
  };
}
