import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSpotify, spotifyId } from '../fakes/spotify/index.ts';
import { linkWithFetch, spotifyForBot } from './support/spotify.ts';
import { World } from './support/world.ts';

const LIST = spotifyId('sixhundredsongs');

/**
 * /playlist import of a Spotify playlist longer than the cap, through the running bot with a linked
 * (fake) Spotify account: the first 500 tracks are saved, in order, and the reply counts the rest.
 */
describe('/playlist import from Spotify', () => {
  let world: World;
  let spotify: FakeSpotify;

  beforeAll(async () => {
    const s = await spotifyForBot();
    spotify = s.fake;
    spotify.addDevice('Desk PC');
    const ids = Array.from(
      { length: 600 },
      (_, i) => spotify.catalog.addTrack({ id: spotifyId(`six${i}`), name: `Spotify Song ${i + 1}` }).id,
    );
    spotify.catalog.addPlaylist({ id: LIST, name: 'Six hundred', trackIds: ids });
    world = await World.start(s.env);
    const linked = await linkWithFetch(world);
    expect(linked.status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await world?.stop();
    await spotify?.close();
  });

  it('saves the first 500 of a 600-track playlist and says 100 were left out', async () => {
    const seen = await world.discord.slash(world.alice, 'playlist import', {
      link: `https://open.spotify.com/playlist/${LIST}`,
      name: 'Six hundred',
    });
    expect(seen.content).toBe(
      '📜 Saved **500** songs from the link as the server playlist **Six hundred**.\n' +
        '100 more left out: a playlist holds 500 songs at most.',
    );
    const first = await world.discord.slash(world.bob, 'playlist show', { name: 'six hundred' });
    expect(first.content).toContain('1. **Spotify Song 1**');
    const last = await world.discord.slash(world.bob, 'playlist show', { name: 'six hundred', page: 34 });
    expect(last.content).toContain('500. **Spotify Song 500**');
    expect(last.content).not.toContain('Spotify Song 501');
  });
});
