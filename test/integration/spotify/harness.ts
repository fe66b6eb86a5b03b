import { ManualClock } from '../../../src/core/clock.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import { SpotifyAccounts } from '../../../src/spotify/accounts.ts';
import { SpotifyWebApi } from '../../../src/spotify/client.ts';
import { LinkStates } from '../../../src/spotify/link-states.ts';
import { SpotifyService } from '../../../src/spotify/service.ts';
import type { SpotifyTokenRepository } from '../../../src/storage/db/spotify-tokens.ts';
import { MemorySpotifyTokenRepository } from '../../../src/storage/db/spotify-tokens-memory.ts';
import { FakeSpotify, type FakeSpotifyOptions } from '../../fakes/spotify/index.ts';

export const REDIRECT_URI = 'http://127.0.0.1:1/auth/spotify/callback';

/** The Spotify pieces the app wires, on a fake Spotify, sharing one manual clock with it. */
export interface SpotifyRig {
  fake: FakeSpotify;
  clock: ManualClock;
  tokens: SpotifyTokenRepository;
  accounts: SpotifyAccounts;
  states: LinkStates;
  api: SpotifyWebApi;
  service: SpotifyService;
  /** Guilds whose link was removed after invalid_grant, in order. */
  unlinked: string[];
  /** Waits the client asked for after a 429, in ms (only when `recordWaits` was set). */
  waits: number[];
  close(): Promise<void>;
}

export interface RigOptions extends FakeSpotifyOptions {
  tokens?: SpotifyTokenRepository;
  /** SPOTIFY_REDIRECT_URI; default one that is never opened (tests read the redirect themselves). */
  redirect?: string;
  /** Record Retry-After waits instead of waiting. */
  recordWaits?: boolean;
}

export async function spotifyRig(options: RigOptions = {}): Promise<SpotifyRig> {
  const clock = new ManualClock();
  const fake = await FakeSpotify.start({ clock, ...options });
  const tokens = options.tokens ?? new MemorySpotifyTokenRepository();
  const accounts = new SpotifyAccounts({
    clientId: fake.clientId,
    clientSecret: options.clientSecret,
    redirectUri: options.redirect ?? REDIRECT_URI,
    accountsUrl: fake.accountsUrl,
  });
  const unlinked: string[] = [];
  const waits: number[] = [];
  const api = new SpotifyWebApi({
    tokens,
    accounts,
    apiUrl: fake.apiUrl,
    clock,
    logger: silentLogger(),
    onUnlinked: (g) => unlinked.push(g),
    ...(options.recordWaits && {
      wait: async (ms: number) => {
        waits.push(ms);
      },
    }),
  });
  const states = new LinkStates({ clock });
  const service = new SpotifyService({ accounts, tokens, states, api, clock, logger: silentLogger() });
  return {
    fake,
    clock,
    tokens,
    accounts,
    states,
    api,
    service,
    unlinked,
    waits,
    close: async () => {
      api.close();
      await fake.close();
    },
  };
}

/** What the fake's /authorize redirects to for this authorize URL (the browser's next stop). */
export async function approve(authorizeUrl: string): Promise<URL> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location)
    throw new Error(`authorize answered ${res.status}: ${await res.text()}`);
  return new URL(location);
}

/** Links a guild the way an admin does, without the side-server: start, approve, finish. */
export async function link(rig: SpotifyRig, guildId: string, userId: string | null = null): Promise<void> {
  const back = await approve(rig.service.startLink(guildId, userId).authorizeUrl);
  await rig.service.finishLink({
    state: back.searchParams.get('state'),
    code: back.searchParams.get('code'),
    error: back.searchParams.get('error'),
  });
}
