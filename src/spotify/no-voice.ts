import { UserError } from '../core/errors.ts';
import type { VoicePlayback } from './playback.ts';

/**
 * The voice side of a process without Discord (API-only mode): nothing ever plays in voice, so it is
 * always idle and every voice operation answers NOT_CONNECTED in plain words. With it in place of the
 * music player, `SpotifyAwarePlayback` exists whenever Spotify is configured, and device mode (which
 * needs no voice channel) works through the REST API alone.
 */
export class NoVoicePlayback implements VoicePlayback {
  ensurePlaying(): Promise<void> {
    return refuse(
      'Nothing can play in a voice channel: this server runs without Discord (API-only mode). ' +
        'Only Spotify songs play here, on the linked Spotify device (spotify_mode device).',
    );
  }

  requestSkip(): Promise<never> {
    return refuse(NOTHING_HERE);
  }

  skip(): Promise<never> {
    return refuse(NOTHING_HERE);
  }

  pause(): Promise<never> {
    return refuse(NOTHING_HERE);
  }

  resume(): Promise<never> {
    return refuse(NOTHING_HERE);
  }

  stop(): Promise<void> {
    return refuse(NOTHING_HERE);
  }

  seek(): Promise<never> {
    return refuse(
      'Seeking needs the bot in a voice channel, and this server runs without Discord (API-only mode). ' +
        'A song on the Spotify device is moved in Spotify itself.',
    );
  }

  setVolume(): Promise<number> {
    return refuse(
      'The volume is the bot’s voice volume, and this server runs without Discord (API-only mode). ' +
        'A song on the Spotify device has its volume set in Spotify itself.',
    );
  }

  volume(): number | null {
    return null;
  }

  setFilter(): Promise<never> {
    return refuse(FILTERS_NEED_VOICE);
  }

  setEq(): Promise<never> {
    return refuse(FILTERS_NEED_VOICE);
  }

  filter(): null {
    return null;
  }

  setLoop(): Promise<never> {
    return refuse(
      'Looping needs the bot in a voice channel, and this server runs without Discord (API-only mode).',
    );
  }

  loop(): 'off' {
    return 'off';
  }

  listeners(): string[] {
    return [];
  }

  status(): { state: string; positionMs: number | null; channelId: string | null } {
    return { state: 'idle', positionMs: null, channelId: null };
  }

  state(): { kind: 'idle' } {
    return { kind: 'idle' };
  }

  hasExternal(): boolean {
    return false;
  }
}

const FILTERS_NEED_VOICE =
  'Filters change the bot’s voice audio, and this server runs without Discord (API-only mode).';

const NOTHING_HERE =
  'Nothing is playing on the Spotify device, and this server runs without Discord (API-only mode), ' +
  'so nothing plays in voice either.';

function refuse(message: string): Promise<never> {
  return Promise.reject(new UserError('NOT_CONNECTED', message));
}
