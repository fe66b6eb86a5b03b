import { entersState, joinVoiceChannel, type VoiceConnection, VoiceConnectionStatus } from '@discordjs/voice';
import { type Client, PermissionFlagsBits } from 'discord.js';
import { UserError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { PlayableStream, VoicePort, VoiceSession } from '../playback/ports.ts';
import { ffmpegSupportsReadRate, READ_RATE, transcodeToOggOpus } from '../playback/transcode.ts';
import { OpusClock, PacedTrack } from './voice-pacer.ts';
import { VoiceStateWatch } from './voice-watch.ts';

const READY_TIMEOUT_MS = 15_000;
const RECONNECT_GRACE_MS = 5_000;
/** Longest wait for the DAVE group after Ready (alone in a channel there is no group to join). */
const DAVE_SETTLE_MS = 2_000;
/** Longest wait for a song's first Opus packet (ffmpeg starting on a machine busy with a start burst). */
const START_TIMEOUT_MS = 30_000;

/**
 * The voice adapter: @discordjs/voice behind the player's `VoicePort`. Opus sources are demuxed
 * (no ffmpeg); everything else goes through ffmpeg to Ogg/Opus (src/playback/transcode.ts).
 */
export class DiscordVoice implements VoicePort {
  private readonly client: Client;
  private readonly logger: Logger;
  private readonly clock = new OpusClock();
  private readonly watch: VoiceStateWatch;
  private readonly transcode: Transcode;

  constructor(client: Client, logger: Logger, ffmpegPath = 'ffmpeg') {
    this.client = client;
    this.logger = logger;
    this.transcode = { ffmpegPath };
    this.watch = new VoiceStateWatch(client);
    void ffmpegSupportsReadRate(ffmpegPath).then((yes) => {
      if (yes && !process.env.NO_RR) this.transcode.readRate = READ_RATE;
    });
  }

  prepare(source: PlayableStream): PlayableStream {
    return prepareSource(source, this.transcode, this.logger);
  }

  async join(guildId: string, channelId: string): Promise<VoiceSession> {
    const guild = this.client.guilds.cache.get(guildId);
    const channel = guild?.channels.cache.get(channelId);
    if (!guild || !channel?.isVoiceBased()) {
      throw new UserError('NOT_IN_VOICE', 'I cannot see that voice channel.');
    }
    const me = guild.members.me;
    const perms = me ? channel.permissionsFor(me) : null;
    if (perms && !perms.has([PermissionFlagsBits.Connect, PermissionFlagsBits.Speak])) {
      throw new UserError('FORBIDDEN', `I need the Connect and Speak permissions in <#${channelId}>.`);
    }
    const connection = joinVoiceChannel({
      guildId,
      channelId,
      adapterCreator: guild.voiceAdapterCreator,
      selfDeaf: true,
    });
    try {
      await entersState(connection, VoiceConnectionStatus.Ready, READY_TIMEOUT_MS);
      await daveSettled(connection, DAVE_SETTLE_MS);
    } catch {
      connection.destroy();
      throw new UserError(
        'NOT_CONNECTED',
        'I could not connect to the voice channel. Try again in a moment.',
      );
    }
    return new DiscordVoiceSession({
      client: this.client,
      guildId,
      channelId,
      connection,
      logger: this.logger.child({ guildId }),
      transcode: this.transcode,
      clock: this.clock,
      watch: this.watch,
    });
  }
}

interface SessionParts {
  client: Client;
  guildId: string;
  channelId: string;
  connection: VoiceConnection;
  logger: Logger;
  transcode: Transcode;
  clock: OpusClock;
  watch: VoiceStateWatch;
}

class DiscordVoiceSession implements VoiceSession {
  readonly channelId: string;
  private readonly parts: SessionParts;
  private readonly connection: VoiceConnection;
  private readonly logger: Logger;
  private track: PacedTrack | null = null;
  private source: PlayableStream | null = null;
  private trackEnd: (reason: 'finished' | 'error', error?: Error) => void = () => {};
  private gone: (reason: string) => void = () => {};
  private unwatch: (() => void) | null = null;
  private left = false;

  constructor(parts: SessionParts) {
    this.parts = parts;
    this.channelId = parts.channelId;
    this.connection = parts.connection;
    this.logger = parts.logger;
    const connection = parts.connection;
    connection.on(VoiceConnectionStatus.Disconnected, () => {
      // Moved to another channel or a short network break: Discord reconnects within seconds.
      Promise.race([
        entersState(connection, VoiceConnectionStatus.Signalling, RECONNECT_GRACE_MS),
        entersState(connection, VoiceConnectionStatus.Connecting, RECONNECT_GRACE_MS),
      ]).catch(() => {
        if (!this.left) {
          this.logger.info('voice connection lost (kicked or channel gone)');
          this.leave();
          this.gone('disconnected');
        }
      });
    });
    connection.on(VoiceConnectionStatus.Destroyed, () => {
      if (!this.left) {
        this.left = true;
        this.stopTrack();
        this.unwatch?.();
        this.gone('destroyed');
      }
    });
  }

  async play(source: PlayableStream): Promise<void> {
    this.stopTrack();
    const input = prepareSource(source, this.parts.transcode, this.logger);
    this.source = input;
    this.logger.debug(
      {
        type: source.type,
        ffmpeg: input.transcoded === true,
        ...(source.filter && { filter: source.filter }),
      },
      'track audio opened',
    );
    let started: () => void = () => {};
    let failed: (err: Error) => void = () => {};
    const first = new Promise<void>((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    const track = new PacedTrack(
      this.connection,
      this.parts.clock,
      { stream: input.stream, type: input.type === 'webm/opus' ? 'webm/opus' : 'ogg/opus' },
      {
        onStart: () => started(),
        onEnd: (reason, error) => {
          if (this.track !== track) return;
          this.track = null;
          this.releaseSource();
          if (reason === 'error') this.logger.warn({ err: error?.message }, 'audio stream error');
          failed(error ?? new Error('the stream ended before any audio'));
          this.trackEnd(reason, error);
        },
      },
    );
    this.track = track;
    const timer = setTimeout(() => failed(new Error('no audio')), START_TIMEOUT_MS);
    try {
      await first;
    } catch {
      if (this.track === track) this.stopTrack();
      throw new UserError('UNAVAILABLE', 'The song would not start (no audio arrived).');
    } finally {
      clearTimeout(timer);
    }
  }

  pause(): void {
    this.track?.pause();
  }

  resume(): void {
    this.track?.resume();
  }

  stopTrack(): void {
    const track = this.track;
    this.track = null;
    track?.stop();
    this.releaseSource();
  }

  leave(): void {
    if (this.left) return;
    this.left = true;
    this.stopTrack();
    this.unwatch?.();
    if (this.connection.state.status !== VoiceConnectionStatus.Destroyed) this.connection.destroy();
  }

  listeners(): string[] {
    const channel = this.parts.client.guilds.cache
      .get(this.parts.guildId)
      ?.channels.cache.get(this.channelId);
    if (!channel?.isVoiceBased()) return [];
    return [...channel.members.values()].filter((m) => !m.user.bot).map((m) => m.id);
  }

  onTrackEnd(handler: (reason: 'finished' | 'error', error?: Error) => void): void {
    this.trackEnd = handler;
  }

  onGone(handler: (reason: string) => void): void {
    this.gone = handler;
  }

  onAlone(handler: () => void): void {
    this.unwatch?.();
    this.unwatch = this.parts.watch.on(this.parts.guildId, () => {
      if (this.left) {
        this.unwatch?.();
        return;
      }
      if (this.listeners().length === 0) handler();
    });
  }

  private releaseSource(): void {
    this.source?.close();
    this.source = null;
  }
}

/** How this process runs ffmpeg (`readRate` once the version is known). */
interface Transcode {
  ffmpegPath: string;
  readRate?: number;
}

/** Opus sources as they are; anything else (or a seek, a volume, a filter) through ffmpeg to Ogg/Opus. */
function prepareSource(source: PlayableStream, transcode: Transcode, logger: Logger): PlayableStream {
  const plain = !source.seekMs && (source.volume ?? 100) === 100 && !source.filter;
  if (source.type !== 'arbitrary' && plain) return source;
  return transcodeToOggOpus(source, {
    seekMs: source.seekMs,
    volume: source.volume,
    filter: source.filter,
    ...transcode,
    onExit: (info) => logger.debug(info, 'ffmpeg exited'),
  });
}

/**
 * Under DAVE, audio sent before the bot has joined the channel's MLS group goes out without end-to-end
 * encryption (@discordjs/voice sends it plain until the transition executes). Waits until the group is
 * joined, DAVE is off, or `ms` passed. Reads the connection's DAVE session, which the library does not
 * expose as API; without one (DAVE version 0) it returns at once.
 */
function daveSettled(connection: VoiceConnection, ms: number): Promise<void> {
  const settled = () => {
    const state = connection.state as {
      networking?: { state?: { dave?: { protocolVersion: number; session?: { ready?: boolean } | null } } };
    };
    const dave = state.networking?.state?.dave;
    return !dave || dave.protocolVersion === 0 || dave.session?.ready === true;
  };
  if (settled()) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (settled()) done();
    };
    const done = () => {
      clearTimeout(timer);
      connection.off('transitioned', check);
      connection.off('stateChange', check);
      resolve();
    };
    const timer = setTimeout(done, ms);
    connection.on('transitioned', check);
    connection.on('stateChange', check);
  });
}
