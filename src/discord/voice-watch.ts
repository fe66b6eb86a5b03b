import type { Client } from 'discord.js';

/**
 * Voice state changes by guild, from one client listener (a listener per guild on the client would
 * pass Node's limit of 10 and warn at the eleventh guild).
 */
export class VoiceStateWatch {
  private readonly handlers = new Map<string, Set<() => void>>();
  private listening = false;
  private readonly client: Client;

  constructor(client: Client) {
    this.client = client;
  }

  /** Calls `handler` on every voice state change in the guild; returns the unsubscribe function. */
  on(guildId: string, handler: () => void): () => void {
    if (!this.listening) {
      this.listening = true;
      this.client.on('voiceStateUpdate', (before, after) => {
        const guildId = after.guild?.id ?? before.guild?.id;
        if (!guildId) return;
        for (const h of [...(this.handlers.get(guildId) ?? [])]) h();
      });
    }
    let set = this.handlers.get(guildId);
    if (!set) {
      set = new Set();
      this.handlers.set(guildId, set);
    }
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0 && this.handlers.get(guildId) === set) this.handlers.delete(guildId);
    };
  }
}
