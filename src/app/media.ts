import type { Config } from '../config/index.ts';
import type { Logger } from '../core/logger.ts';
import { HttpAudioProvider } from '../providers/http.ts';
import { ProviderRegistry } from '../providers/registry.ts';
import { isSoundCloudUrl } from '../providers/soundcloud-map.ts';
import { SpotifyProvider } from '../providers/spotify.ts';
import { isYouTubeUrl } from '../providers/youtube-url.ts';
import { lazyProvider } from './lazy-provider.ts';
import type { MediaSources } from './types.ts';

/**
 * Part of the composition root: the providers, in the order links are matched (the catch-all direct
 * HTTP provider last). Tests hand `startApp` their own sources instead.
 */
export function createMedia(config: Config, logger: Logger): MediaSources {
  const youtube = lazyProvider('youtube', isYouTubeUrl, async () => {
    const { YouTubeProvider } = await import('../providers/youtube.ts');
    return new YouTubeProvider({
      apiKey: config.youtube.apiKey,
      apiUrl: config.youtube.apiUrl,
      cookie: config.youtube.cookie,
      poToken: config.youtube.poToken,
      visitorData: config.youtube.visitorData,
      ytDlpPath: config.youtube.ytDlpPath,
      logger: logger.child({ component: 'youtube' }),
    });
  });
  const soundcloud = lazyProvider('soundcloud', isSoundCloudUrl, async () => {
    const { SoundCloudProvider } = await import('../providers/soundcloud.ts');
    return new SoundCloudProvider({
      allowlist: config.media.allowlist,
      clientId: config.soundcloud.clientId,
    });
  });
  // Spotify links need the guild's linked account: the app connects the provider to the Spotify service.
  const spotify = new SpotifyProvider({ youtube, logger: logger.child({ component: 'spotify' }) });
  const registry = new ProviderRegistry([
    youtube,
    soundcloud,
    spotify,
    new HttpAudioProvider({ allowlist: config.media.allowlist }),
  ]);
  return {
    resolve: (query, options) => registry.resolve(query, options),
    streams: registry,
    providers: registry,
    health: () => registry.health(),
    connectSpotify: (connection) => spotify.connect(connection),
  };
}
