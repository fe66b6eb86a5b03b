import {
  defaultGuildSettings,
  type GuildSettings,
  type GuildSettingsPatch,
  type GuildSettingsRepository,
  parseGuildSettingsPatch,
} from './guild-settings.ts';
import { parseGuildId } from './validate.ts';

/** Guild settings in this process's memory, for tests of the services that read them. */
export class MemoryGuildSettingsRepository implements GuildSettingsRepository {
  private readonly rows = new Map<string, GuildSettings>();

  async get(guildId: string): Promise<GuildSettings> {
    const id = parseGuildId(guildId);
    const row = this.rows.get(id);
    return row ? { ...row, allowedSources: [...row.allowedSources] } : defaultGuildSettings(id);
  }

  async update(guildId: string, patch: GuildSettingsPatch): Promise<GuildSettings> {
    const id = parseGuildId(guildId);
    const changes = parseGuildSettingsPatch(patch);
    const { spotifyMode, ...rest } = changes;
    const next: GuildSettings = { ...(this.rows.get(id) ?? defaultGuildSettings(id)), ...rest };
    if (spotifyMode !== undefined) {
      if (spotifyMode === null) delete next.spotifyMode;
      else next.spotifyMode = spotifyMode;
    }
    this.rows.set(id, next);
    return { ...next, allowedSources: [...next.allowedSources] };
  }
}
