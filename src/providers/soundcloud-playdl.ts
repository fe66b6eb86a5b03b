import type { Readable } from 'node:stream';
import playdl, { type SoundCloudTrack } from 'play-dl';
import type { SoundCloudPlaylistLike, SoundCloudTrackLike } from './soundcloud-map.ts';

/** What the SoundCloud provider needs from a SoundCloud client; play-dl implements it below. */
export interface SoundCloudApi {
  /** A track or set from its canonical link. */
  resolve(url: string): Promise<SoundCloudTrackLike | SoundCloudPlaylistLike>;
  /** Fetches the tracks of a set that came back as bare ids (SoundCloud sends the first few whole). */
  fetchTracks(playlist: SoundCloudPlaylistLike): Promise<SoundCloudTrackLike[]>;
  search(query: string, limit: number): Promise<SoundCloudTrackLike[]>;
  /** The track's audio: play-dl reads SoundCloud's HLS transcodings, Opus in Ogg where there is one. */
  stream(track: SoundCloudTrackLike): Promise<{ stream: Readable; type: string }>;
}

/**
 * SoundCloud through play-dl (its SoundCloud code still works; its YouTube code does not, see
 * youtube-innertube.ts). play-dl keeps the client id in module state, so it is set once, lazily:
 * from `SOUNDCLOUD_CLIENT_ID`, or scraped from soundcloud.com's scripts when that is not set.
 */
export class PlayDlSoundCloud implements SoundCloudApi {
  private readonly clientId: string | undefined;
  private ready: Promise<void> | null = null;

  constructor(options: { clientId?: string | undefined } = {}) {
    this.clientId = options.clientId;
  }

  async resolve(url: string): Promise<SoundCloudTrackLike | SoundCloudPlaylistLike> {
    await this.token();
    return (await playdl.soundcloud(url)) as unknown as SoundCloudTrackLike | SoundCloudPlaylistLike;
  }

  async fetchTracks(playlist: SoundCloudPlaylistLike): Promise<SoundCloudTrackLike[]> {
    await this.token();
    const real = playlist as unknown as { all_tracks(): Promise<SoundCloudTrack[]> };
    return (await real.all_tracks()) as unknown as SoundCloudTrackLike[];
  }

  async search(query: string, limit: number): Promise<SoundCloudTrackLike[]> {
    await this.token();
    const found = await playdl.search(query, { source: { soundcloud: 'tracks' }, limit });
    return found as unknown as SoundCloudTrackLike[];
  }

  async stream(track: SoundCloudTrackLike): Promise<{ stream: Readable; type: string }> {
    await this.token();
    const opened = await playdl.stream_from_info(track as unknown as SoundCloudTrack);
    return { stream: opened.stream, type: opened.type };
  }

  private token(): Promise<void> {
    this.ready ??= (async () => {
      const clientId = this.clientId ?? (await playdl.getFreeClientID());
      await playdl.setToken({ soundcloud: { client_id: clientId } });
    })().catch((err: unknown) => {
      this.ready = null;
      throw err;
    });
    return this.ready;
  }
}
