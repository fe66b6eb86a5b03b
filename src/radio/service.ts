import type { Clock } from '../core/clock.ts';
import { UserError } from '../core/errors.ts';
import type { EventBus } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import { checkTarget, type MediaAllowlist } from '../net/address-policy.ts';
import type { ExternalAudio } from '../playback/player.ts';
import type { PlayableStream } from '../playback/ports.ts';
import type { Station, StationInput, StationRepository } from '../storage/db/stations.ts';
import { type ConnectionState, StationConnection, type StreamDetails } from './connection.ts';
import type { RadioEvent } from './events.ts';
import type { NowPlayingInfo } from './icy.ts';
import { parseMapping } from './metadata/generic.ts';
import { emptyInfo } from './metadata/types.ts';
import { StationPollers } from './pollers.ts';
import { tidyInfo } from './tidy.ts';

/** What the radio needs of the voice side (the music player owns the guild's voice session). */
export interface RadioVoice {
  playExternal(
    guildId: string,
    channelId: string | null,
    source: PlayableStream,
    audio: ExternalAudio,
  ): Promise<void>;
  stopExternal(guildId: string): Promise<void>;
  channelOf(guildId: string): string | null;
}

/** Posts a short notice where the station was started (the Discord adapter implements it). */
export type RadioNotice = (channelId: string, text: string) => void;

export interface RadioStatus {
  station: Station;
  state: ConnectionState;
  /** Why it is reconnecting, when it is. */
  reason: string | null;
  inVoice: boolean;
  nowPlaying: NowPlayingInfo | null;
}

interface GuildRadio {
  station: Station;
  connection: StationConnection;
  details: StreamDetails | null;
  nowPlaying: NowPlayingInfo | null;
  reason: string | null;
  inVoice: boolean;
  noticeChannel: string | null;
  unsubscribe: () => void;
}

export interface RadioServiceDeps {
  stations: StationRepository;
  voice: RadioVoice | null;
  allowlist: MediaAllowlist;
  pollers: StationPollers;
  bus: EventBus<RadioEvent>;
  clock: Clock;
  logger: Logger;
  notice?: RadioNotice;
  /** Reconnect backoff, and how long a silent stream may stall before it counts as dropped (tests shorten them). */
  backoff?: { initialMs: number; maxMs: number; stallMs?: number };
}

/**
 * The seed's RadioPlayer for a voice bot: per guild one station, its stream in the voice channel (or
 * followed for its metadata alone when there is no voice connection), reconnecting with backoff while
 * the guild stays in radio mode; now-playing from the stream's ICY metadata the moment it changes, and
 * from the station's API through a poller shared by every guild on that station.
 */
export class RadioService {
  private readonly deps: RadioServiceDeps;
  private readonly guilds = new Map<string, GuildRadio>();

  constructor(deps: RadioServiceDeps) {
    this.deps = deps;
  }

  // --- stations ------------------------------------------------------------------------------------

  list(guildId: string): Promise<Station[]> {
    return this.deps.stations.list(guildId);
  }

  /**
   * Saves a station (a new one, or a replacement of the same name) after checking its URLs against the
   * SSRF guard; nothing is contacted. @throws UserError INVALID_INPUT, INVALID_URL, FORBIDDEN_ADDRESS
   */
  async save(guildId: string, input: StationInput): Promise<Station> {
    for (const url of [input.streamUrl, input.apiEndpoint]) {
      if (typeof url !== 'string') continue;
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new UserError('INVALID_URL', `"${String(url).slice(0, 80)}" is not a link.`);
      }
      await checkTarget(parsed, this.deps.allowlist);
    }
    if (input.provider === 'json') {
      try {
        parseMapping(input.metadataPath ?? null);
      } catch (err) {
        throw new UserError(
          'INVALID_INPUT',
          (err as Error).message.replace(/^json provider: /, 'metadata_path: '),
        );
      }
    }
    return this.deps.stations.upsert(guildId, input);
  }

  /** Deletes a station; when it is playing, it stops first. @throws UserError STATION_NOT_FOUND */
  async remove(guildId: string, name: string): Promise<void> {
    if (this.guilds.get(guildId)?.station.name === name) await this.stop(guildId);
    if (!(await this.deps.stations.remove(guildId, name))) throw notFound(name);
  }

  // --- playing --------------------------------------------------------------------------------------

  /**
   * Plays the station: into the voice channel the bot is in (else `channelId`), or, with neither,
   * follows its now-playing alone. Resolves once the stream answers.
   * @throws UserError STATION_NOT_FOUND, FORBIDDEN_ADDRESS, UPSTREAM_ERROR, NOT_FOUND, and voice errors
   */
  async start(
    guildId: string,
    name: string,
    options: { channelId?: string | null; noticeChannelId?: string | null } = {},
  ): Promise<{ name: string; url: string; channelId: string | null }> {
    const station = await this.deps.stations.get(guildId, name);
    if (!station) throw notFound(name);
    if (!station.enabled) throw new UserError('CONFLICT', `The station **${name}** is turned off.`);
    await this.stop(guildId);
    const channelId = this.deps.voice?.channelOf(guildId) ?? options.channelId ?? null;
    const log = this.deps.logger.child({ guildId, station: station.name });
    const radio: GuildRadio = {
      station,
      details: null,
      nowPlaying: null,
      reason: null,
      inVoice: false,
      noticeChannel: options.noticeChannelId ?? null,
      unsubscribe: () => {},
      connection: null as unknown as StationConnection,
    };
    const voice = this.deps.voice;
    const toVoice =
      voice && channelId
        ? (source: PlayableStream) =>
            voice.playExternal(guildId, channelId, source, {
              onEnd: (reason, err) =>
                radio.connection.restart(`the audio ${reason}${err ? `: ${err.message}` : ''}`),
              onGone: (why) => {
                if (this.guilds.get(guildId) !== radio) return;
                log.info({ why }, 'voice session gone; following the station metadata only');
                radio.inVoice = false;
                radio.connection.dropAudio();
              },
            })
        : null;
    radio.inVoice = toVoice !== null;
    radio.connection = new StationConnection({
      streamUrl: station.streamUrl,
      customHeaders: station.customHeaders,
      allowlist: this.deps.allowlist,
      logger: log,
      sink: toVoice,
      initialBackoffMs: this.deps.backoff?.initialMs,
      maxBackoffMs: this.deps.backoff?.maxMs,
      ...(this.deps.backoff?.stallMs ? { stallMs: this.deps.backoff.stallMs } : {}),
      onDetails: (details) => {
        radio.details = details;
      },
      onTitle: (song) => this.update(guildId, radio, { title: song.title, artist: song.artist }),
      onState: (state, reason) => this.onState(guildId, radio, state, reason),
    });
    this.guilds.set(guildId, radio);
    try {
      await radio.connection.start();
    } catch (err) {
      radio.connection.stop();
      this.guilds.delete(guildId);
      throw err instanceof UserError
        ? new UserError(err.code, `Could not tune in to **${station.name}**: ${err.message}`, err.details)
        : err;
    }
    if (StationPollers.supports(station.provider, station.apiEndpoint)) {
      radio.unsubscribe = this.deps.pollers.subscribe(
        station.provider,
        {
          apiEndpoint: station.apiEndpoint!,
          apiKey: station.apiKey,
          metadataPath: station.metadataPath,
          customHeaders: station.customHeaders,
        },
        (info) => this.update(guildId, radio, info),
      );
    }
    this.publish(guildId, radio);
    log.info({ inVoice: radio.inVoice }, 'radio started');
    return { name: station.name, url: station.streamUrl, channelId: radio.inVoice ? channelId : null };
  }

  /** Stops the guild's station (its connection closes, now-playing clears). No-op when none plays. */
  async stop(guildId: string): Promise<void> {
    const radio = this.guilds.get(guildId);
    if (!radio) return;
    this.guilds.delete(guildId);
    radio.unsubscribe();
    radio.connection.stop();
    if (radio.inVoice) await this.deps.voice?.stopExternal(guildId);
    this.deps.bus.publish({ type: 'radio.now_playing', guildId, station: null, nowPlaying: null });
  }

  status(guildId: string): RadioStatus | null {
    const radio = this.guilds.get(guildId);
    if (!radio) return null;
    return {
      station: radio.station,
      state: radio.connection.status,
      reason: radio.reason,
      inVoice: radio.inVoice,
      nowPlaying: radio.nowPlaying,
    };
  }

  /** Guilds playing a station now. */
  playing(): string[] {
    return [...this.guilds.keys()];
  }

  async close(): Promise<void> {
    for (const radio of this.guilds.values()) {
      radio.unsubscribe();
      radio.connection.stop();
    }
    this.guilds.clear();
    this.deps.pollers.close();
  }

  private update(
    guildId: string,
    radio: GuildRadio,
    info: Partial<Omit<NowPlayingInfo, 'updated_at'>>,
  ): void {
    if (this.guilds.get(guildId) !== radio) return;
    const base = radio.nowPlaying ?? emptyNowPlaying();
    const next: NowPlayingInfo = {
      ...base,
      ...tidyInfo(info),
      bitrate: info.bitrate ?? base.bitrate ?? radio.details?.bitrate ?? radio.station.bitrate,
      codec: info.codec ?? base.codec ?? radio.details?.codec ?? radio.station.codec,
      genre: info.genre ?? base.genre ?? radio.details?.genre ?? null,
      updated_at: new Date(this.deps.clock.now()).toISOString(),
    };
    radio.nowPlaying = next;
    this.publish(guildId, radio);
  }

  private onState(guildId: string, radio: GuildRadio, state: ConnectionState, reason?: string): void {
    if (this.guilds.get(guildId) !== radio) return;
    const was = radio.reason;
    radio.reason = state === 'reconnecting' ? (reason ?? 'the stream dropped') : null;
    const notice = this.deps.notice;
    if (!notice || !radio.noticeChannel) return;
    if (state === 'reconnecting' && was === null) {
      notice(
        radio.noticeChannel,
        `📻 Lost the stream of **${radio.station.name}** (${radio.reason}); retrying…`,
      );
    } else if (state === 'playing' && was !== null) {
      notice(radio.noticeChannel, `📻 Back on **${radio.station.name}**.`);
    }
  }

  private publish(guildId: string, radio: GuildRadio): void {
    this.deps.bus.publish({
      type: 'radio.now_playing',
      guildId,
      station: { name: radio.station.name, provider: radio.station.provider },
      nowPlaying: radio.nowPlaying,
    });
  }
}

function notFound(name: string): UserError {
  return new UserError(
    'STATION_NOT_FOUND',
    `There is no station called "${name.slice(0, 100)}". /radio list shows them.`,
  );
}

function emptyNowPlaying(): NowPlayingInfo {
  return { ...emptyInfo(), updated_at: new Date(0).toISOString() };
}
