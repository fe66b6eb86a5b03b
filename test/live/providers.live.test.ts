import { describe } from 'vitest';
import { MediaAllowlist } from '../../src/net/address-policy.ts';
import { SoundCloudProvider } from '../../src/providers/soundcloud.ts';
import { YouTubeProvider } from '../../src/providers/youtube.ts';
import { providerContract } from './contract.ts';

/**
 * The provider contract against the real services (`npm run test:live`, needs the internet). The
 * same settings as the bot are read from the environment: YOUTUBE_API_KEY, YOUTUBE_API_URL,
 * YOUTUBE_COOKIE, YOUTUBE_PO_TOKEN, YOUTUBE_VISITOR_DATA, YTDLP_PATH, SOUNDCLOUD_CLIENT_ID. The
 * LIVE_* variables replace the sample links should one of them disappear.
 */
const env = process.env;

describe('YouTube (youtubei.js, yt-dlp fallback)', () => {
  providerContract(
    () =>
      new YouTubeProvider({
        apiKey: env.YOUTUBE_API_KEY,
        apiUrl: env.YOUTUBE_API_URL,
        cookie: env.YOUTUBE_COOKIE,
        poToken: env.YOUTUBE_PO_TOKEN,
        visitorData: env.YOUTUBE_VISITOR_DATA,
        ytDlpPath: env.YTDLP_PATH,
      }),
    {
      track: env.LIVE_YOUTUBE_TRACK ?? 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      playlist:
        env.LIVE_YOUTUBE_PLAYLIST ??
        'https://www.youtube.com/playlist?list=PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI',
      search: 'never gonna give you up',
    },
  );
});

describe('SoundCloud (play-dl)', () => {
  providerContract(
    () => new SoundCloudProvider({ allowlist: MediaAllowlist.parse(''), clientId: env.SOUNDCLOUD_CLIENT_ID }),
    {
      track: env.LIVE_SOUNDCLOUD_TRACK ?? 'https://soundcloud.com/forss/flickermood',
      playlist: env.LIVE_SOUNDCLOUD_SET ?? 'https://soundcloud.com/forss/sets/soulhack',
      search: 'lofi',
    },
  );
});
