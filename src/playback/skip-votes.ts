/**
 * Vote-skips: members who are not the requester or a DJ vote to skip the playing song; it is skipped
 * once the votes reach `ratio` of the members listening (at least one vote). Votes belong to one
 * playing item and are forgotten when it changes.
 */
export class SkipVotes {
  private readonly votes = new Map<string, { itemId: string; voters: Set<string> }>();

  cast(
    guildId: string,
    itemId: string,
    userId: string,
    listeners: string[],
    ratio: number,
  ): { count: number; needed: number; passed: boolean; counted: boolean } {
    let entry = this.votes.get(guildId);
    if (!entry || entry.itemId !== itemId) {
      entry = { itemId, voters: new Set() };
      this.votes.set(guildId, entry);
    }
    const counted = !entry.voters.has(userId);
    entry.voters.add(userId);
    const present = new Set(listeners);
    const count = [...entry.voters].filter((id) => present.has(id)).length;
    const needed = Math.max(1, Math.ceil(present.size * ratio));
    return { count, needed, passed: count >= needed, counted };
  }

  clear(guildId: string): void {
    this.votes.delete(guildId);
  }
}
