import {
  byName,
  parseStation,
  parseStationName,
  type Station,
  type StationInput,
  type StationRepository,
} from './stations.ts';
import { parseGuildId } from './validate.ts';

/** Radio stations in this process's memory, for tests of the services that use them. */
export class MemoryStationRepository implements StationRepository {
  private readonly guilds = new Map<string, Map<string, Station>>();

  async list(guildId: string): Promise<Station[]> {
    const stations = this.guilds.get(parseGuildId(guildId));
    return stations ? [...stations.values()].map(copy).sort(byName) : [];
  }

  async get(guildId: string, name: string): Promise<Station | null> {
    const id = parseGuildId(guildId);
    const key = parseStationName(name);
    const station = this.guilds.get(id)?.get(key);
    return station ? copy(station) : null;
  }

  async upsert(guildId: string, input: StationInput): Promise<Station> {
    const id = parseGuildId(guildId);
    const station = parseStation(input);
    let stations = this.guilds.get(id);
    if (!stations) {
      stations = new Map();
      this.guilds.set(id, stations);
    }
    stations.set(station.name, copy(station));
    return copy(station);
  }

  async remove(guildId: string, name: string): Promise<boolean> {
    // The name is checked even when the guild has no station, as the database repository does.
    const id = parseGuildId(guildId);
    const key = parseStationName(name);
    return this.guilds.get(id)?.delete(key) ?? false;
  }
}

function copy(station: Station): Station {
  return { ...station, customHeaders: { ...station.customHeaders } };
}
