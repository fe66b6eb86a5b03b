import type { NowPlayingInfo } from './icy.ts';

/** What the radio reports when its station or song changes (the radio service publishes it on its bus). */
export interface RadioEvent {
  type: 'radio.now_playing';
  guildId: string;
  station: { name: string; provider: string | null } | null;
  nowPlaying: NowPlayingInfo | null;
}
