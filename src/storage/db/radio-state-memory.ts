import {
  byGuildId,
  parseRadioMode,
  parseRadioState,
  type RadioMode,
  type RadioState,
  type RadioStateRepository,
} from './radio-state.ts';
import { parseGuildId } from './validate.ts';

/** Guild modes in this process's memory, for tests of the services that use them. */
export class MemoryRadioStateRepository implements RadioStateRepository {
  private readonly rows = new Map<string, RadioState>();

  async get(guildId: string): Promise<RadioState | null> {
    const row = this.rows.get(parseGuildId(guildId));
    return row ? { ...row } : null;
  }

  async save(input: RadioState): Promise<void> {
    const state = parseRadioState(input);
    this.rows.set(state.guildId, state);
  }

  async listByMode(mode: RadioMode): Promise<RadioState[]> {
    const wanted = parseRadioMode(mode);
    return [...this.rows.values()]
      .filter((row) => row.mode === wanted)
      .sort(byGuildId)
      .map((row) => ({ ...row }));
  }
}
