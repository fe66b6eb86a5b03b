import type { Clock } from '../core/clock.ts';
import { randomState } from './pkce.ts';

/** What a link state stands for: who asked to link which guild, and the PKCE verifier to finish with. */
export interface PendingLink {
  guildId: string;
  /** The member who asked; null when the link was started through the REST API. */
  userId: string | null;
  verifier: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export const LINK_STATE_TTL_MS = 10 * 60 * 1000;
/** Pending links kept at most; the oldest go first (an admin who asks 1,000 times loses the first). */
const MAX_PENDING = 1_000;

/**
 * The OAuth `state` values of links under way, each bound to a guild and a user, good once and for
 * ten minutes. They live in this process's memory: the callback must reach the instance that
 * started the link (one side-server per deployment today).
 */
export class LinkStates {
  private readonly pending = new Map<string, PendingLink>();
  private readonly clock: Clock;
  private readonly ttlMs: number;

  constructor(options: { clock: Clock; ttlMs?: number }) {
    this.clock = options.clock;
    this.ttlMs = options.ttlMs ?? LINK_STATE_TTL_MS;
  }

  /** A new state for this guild and user; the verifier comes back from {@link consume}. */
  create(guildId: string, userId: string | null, verifier: string): { state: string; expiresAt: number } {
    this.prune();
    while (this.pending.size >= MAX_PENDING) {
      const oldest = this.pending.keys().next().value;
      if (oldest === undefined) break;
      this.pending.delete(oldest);
    }
    const state = randomState();
    const expiresAt = this.clock.now() + this.ttlMs;
    this.pending.set(state, { guildId, userId, verifier, expiresAt });
    return { state, expiresAt };
  }

  /**
   * The link a state stands for, removed so that it cannot be used again; null when the state is
   * unknown, already used or expired.
   */
  consume(state: string): PendingLink | null {
    const link = this.pending.get(state);
    if (!link) return null;
    this.pending.delete(state);
    return this.clock.now() < link.expiresAt ? { ...link } : null;
  }

  /** How many links are waiting (for tests and metrics). */
  get size(): number {
    this.prune();
    return this.pending.size;
  }

  private prune(): void {
    const now = this.clock.now();
    for (const [state, link] of this.pending) if (link.expiresAt <= now) this.pending.delete(state);
  }
}
