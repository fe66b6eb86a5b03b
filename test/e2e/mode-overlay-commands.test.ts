import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { World } from './support/world.ts';

let world: World;
let server: string;

beforeAll(async () => {
  world = await World.start({ PUBLIC_URL: 'https://music.example.org' });
  server = String((await world.bot.waitForLog((l) => l.msg === 'side-server listening')).url);
  await world.discord.slash(world.admin, 'settings', { dj_role: world.djRole });
});
afterAll(() => world?.stop());

/** The overlay page at the running side-server, for the key in a link the bot handed out. */
async function page(link: string): Promise<number> {
  const url = new URL(link);
  return (await fetch(`${server}${url.pathname}${url.search}`)).status;
}

describe('/overlay', () => {
  it('gives admins a private link with a key; /overlay rotate makes a new one and the old stops working', async () => {
    const first = await world.discord.slash(world.admin, 'overlay link');
    expect(first.ephemeral).toBe(true);
    const [link] = /https:\/\/music\.example\.org\/overlay\/\d+\?key=[\w-]+/.exec(first.content) ?? [];
    expect(link).toBeDefined();
    expect(new URL(link!).pathname).toBe(`/overlay/${world.guild.id}`);
    expect(await page(link!)).toBe(200);

    const rotated = await world.discord.slash(world.admin, 'overlay rotate');
    const [next] = /https:\/\/\S+\?key=[\w-]+/.exec(rotated.content) ?? [];
    expect(rotated.content).toContain('The previous link no longer works.');
    expect(next).not.toBe(link);
    expect(await page(next!)).toBe(200);
    expect(await page(link!)).toBe(401);
  });

  it('is for admins only', async () => {
    const seen = await world.discord.slash(world.dj, 'overlay link');
    expect(seen).toMatchObject({ ephemeral: true });
    expect(seen.content).toMatch(/Manage Server/);
  });
});

describe('/mode', () => {
  it('shows the mode to anyone', async () => {
    const seen = await world.discord.slash(world.alice, 'mode');
    expect(seen).toMatchObject({
      ephemeral: true,
      content: 'No mode is set: neither the queue nor a station is playing.',
    });
  });

  it('lets DJs switch to music, and refuses everyone else', async () => {
    expect((await world.discord.slash(world.alice, 'mode', { to: 'music' })).content).toMatch(/DJ/);
    const seen = await world.discord.slash(world.dj, 'mode', { to: 'music' });
    expect(seen.content).toBe('Music mode: the queue plays.');
    expect((await world.discord.slash(world.bob, 'mode')).content).toBe('Music mode: the queue plays.');
  });

  it('asks for a station when switching to radio without one', async () => {
    const seen = await world.discord.slash(world.dj, 'mode', { to: 'radio' });
    expect(seen).toMatchObject({ ephemeral: true, content: 'Name a station to play.' });
  });
});
