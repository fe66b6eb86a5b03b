import { randomBytes } from 'node:crypto';
import { FakeSpotify } from '../../fakes/spotify/index.ts';
import { freePort } from '../../support/redis-server.ts';
import type { World } from './world.ts';

export const API_TOKEN = 'e2e-spotify-api-token-0123456789';

/** A fake Spotify, and the settings that point a bot at it on a known side-server port. */
export async function spotifyForBot(): Promise<{
  fake: FakeSpotify;
  port: number;
  env: Record<string, string>;
}> {
  const fake = await FakeSpotify.start({ clientId: 'e2eSpotifyClient0123456789' });
  const port = await freePort();
  return {
    fake,
    port,
    env: {
      HTTP_PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      API_TOKEN,
      SPOTIFY_CLIENT_ID: fake.clientId,
      SPOTIFY_ACCOUNTS_URL: fake.accountsUrl,
      SPOTIFY_API_URL: fake.apiUrl,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    },
  };
}

/** The one-time authorize link from an admin's `/spotify link` (only they see it). */
export async function authorizeLink(world: World): Promise<string> {
  const seen = await world.discord.slash(world.admin, 'spotify link');
  if (!seen.ephemeral) throw new Error('the link was not private');
  const [url] = /https?:\/\/\S+\/authorize\?\S+/.exec(seen.content) ?? [];
  if (!url) throw new Error(`no authorize link in: ${seen.content}`);
  return url;
}

/** Links the guild as a browser without JavaScript would: Spotify's redirect, then the bot's callback. */
export async function linkWithFetch(world: World): Promise<Response> {
  const approved = await fetch(await authorizeLink(world), { redirect: 'manual' });
  const back = approved.headers.get('location');
  if (approved.status !== 302 || !back) throw new Error(`authorize answered ${approved.status}`);
  return fetch(back);
}

/** PATCH /api/v1/settings/{guild} with the bot's API token. */
export async function patchSettings(port: number, guildId: string, patch: Record<string, unknown>) {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/settings/${guildId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(patch),
  });
  if (res.status !== 200) throw new Error(`settings answered ${res.status}: ${await res.text()}`);
}
