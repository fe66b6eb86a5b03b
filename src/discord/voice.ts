import {
  type AudioPlayer,
  AudioPlayerStatus,
  createAudioPlayer,
  createAudioResource,
  entersState,
  joinVoiceChannel,
  NoSubscriberBehavior,
  StreamType,
  type VoiceConnection,
  VoiceConnectionStatus,
} from '@discordjs/voice';
import { type Client, PermissionFlagsBits } from 'discord.js';
import { UserError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { PlayableStream, VoicePort, VoiceSession } from '../playback/ports.ts';
import { transcodeToOggOpus } from '../playback/transcode.ts';

const READY_TIMEOUT_MS = 15_000;
const RECONNECT_GRACE_MS = 5_000;
/** Longest wait for the DAVE group after Ready (alone in a channel there is no group to join). */
const DAVE_SETTLE_MS = 2_000;

/**
 * The voice adapter: @discordjs/voice behind the player's `VoicePort`. Opus sources are demuxed
 * (no ffmpeg); everything else goes through ffmpeg to Ogg/Opus (src/playback/transcode.ts).
 */
export class DiscordVoice implements VoicePort {
  private readonly client: Client;
  private readonly logger: Logger;
  private readonly ffmpegPath: string;

  constructor(client: Client, logger: Logger, ffmpegPath = 'ffmpeg') {
    this.client = client;
    this.logger = logger;
    this.ffmpegPath = ffmpegPath;
  }

  prepare(source: PlayableStream): PlayableStream {
    return prepareSource(source, this.ffmpegPath, this.logger);
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
    return new DiscordVoiceSession(
      this.client,
      guildId,
      channelId,
      connection,
      this.logger.child({ guildId }),
      this.ffmpegPath,
    );
  }
}

class DiscordVoiceSession implements VoiceSession {
  readonly channelId: string;
  private readonly client: Client;
  private readonly guildId: string;
  private readonly connection: VoiceConnection;
  private readonly player: AudioPlayer;
  private readonly logger: Logger;
  private readonly ffmpegPath: string;
  private source: PlayableStream | null = null;
  private stopping = false;
  private trackEnd: (reason: 'finished' | 'error', error?: Error) => void = () => {};
  private gone: (reason: string) => void = () => {};
  private left = false;

  constructor(
    client: Client,
    guildId: string,
    channelId: string,
    connection: VoiceConnection,
    logger: Logger,
    ffmpegPath: string,
  ) {
    this.ffmpegPath = ffmpegPath;
    this.client = client;
    this.guildId = guildId;
    this.channelId = channelId;
    this.connection = connection;
    this.logger = logger;
    this.player = createAudioPlayer({ behaviors: { noSubscriber: NoSubscriberBehavior.Play } });
    connection.subscribe(this.player);

    this.player.on('stateChange', (from, to) => {
      if (to.status === AudioPlayerStatus.Idle && from.status !== AudioPlayerStatus.Idle) {
        const expected = this.stopping;
        this.stopping = false;
        this.releaseSource();
        if (!expected) this.trackEnd('finished');
      }
    });
    this.player.on('error', (err) => {
      this.logger.warn({ err: err.message }, 'audio player error');
      this.stopping = true;
      this.releaseSource();
      this.trackEnd('error', err);
    });
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
        this.releaseSource();
        this.gone('destroyed');
      }
    });
  }

  async play(source: PlayableStream): Promise<void> {
    if (this.player.state.status !== AudioPlayerStatus.Idle) {
      this.stopping = true;
      this.player.stop(true);
    }
    this.releaseSource();
    const input = prepareSource(source, this.ffmpegPath, this.logger);
    this.source = input;
    this.logger.debug({ type: source.type, ffmpeg: input.transcoded === true }, 'track audio opened');
    const resource = createAudioResource(input.stream, {
      inputType: input.type === 'webm/opus' ? StreamType.WebmOpus : StreamType.OggOpus,
    });
    this.player.play(resource);
    try {
      await entersState(this.player, AudioPlayerStatus.Playing, 10_000);
    } catch {
      this.stopping = true;
      this.player.stop(true);
      this.releaseSource();
      throw new UserError('UNAVAILABLE', 'The song would not start (no audio arrived).');
    }
  }

  pause(): void {
    this.player.pause(true);
  }

  resume(): void {
    this.player.unpause();
  }

  stopTrack(): void {
    if (this.player.state.status === AudioPlayerStatus.Idle) return;
    this.stopping = true;
    this.player.stop(true);
    this.releaseSource();
  }

  leave(): void {
    if (this.left) return;
    this.left = true;
    this.stopping = true;
    this.player.stop(true);
    this.releaseSource();
    if (this.connection.state.status !== VoiceConnectionStatus.Destroyed) this.connection.destroy();
  }

  listeners(): string[] {
    const channel = this.client.guilds.cache.get(this.guildId)?.channels.cache.get(this.channelId);
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
    const onVoiceState = () => {
      if (this.left) {
        this.client.off('voiceStateUpdate', onVoiceState);
        return;
      }
      if (this.listeners().length === 0) handler();
    };
    this.client.on('voiceStateUpdate', onVoiceState);
  }

  private releaseSource(): void {
    this.source?.close();
    this.source = null;
  }
}

/** Opus sources as they are; anything else (or a seek, or a volume) through ffmpeg to Ogg/Opus. */
function prepareSource(source: PlayableStream, ffmpegPath: string, logger: Logger): PlayableStream {
  if (source.type !== 'arbitrary' && !source.seekMs && (source.volume ?? 100) === 100) return source;
  return transcodeToOggOpus(source, {
    seekMs: source.seekMs,
    volume: source.volume,
    ffmpegPath,
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
