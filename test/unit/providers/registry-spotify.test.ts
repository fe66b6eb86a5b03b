import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.ts';
import type { Provider, ResolveOptions } from '../../../src/providers/provider.ts';
import { ProviderRegistry } from '../../../src/providers/registry.ts';
import { parseSpotifyRef } from '../../../src/spotify/links.ts';
import { snowflake, track } from '../../support/tracks.ts';

const G = snowflake(1);
const ID = '4uLU6hMCjMI75M1A2tKUQC';

/** A provider that records what it was asked, in order. */
function recorder(name: string, owns: (url: URL) => boolean, canSearch = true) {
  const asked: string[] = [];
  const provider: Provider = {
    name,
    canResolve: owns,
    resolve: async (url: URL, options: ResolveOptions) => {
      asked.push(`resolve ${url.href} limit=${options.limit} guild=${options.guildId ?? '-'}`);
      return [track({ provider: name })];
    },
    ...(canSearch && {
      search: async (q: string, limit: number, options?: { guildId?: string }) => {
        asked.push(`search ${q} limit=${limit} guild=${options?.guildId ?? '-'}`);
        return [track({ provider: name })];
      },
    }),
    open: async () => {
      throw new Error('not opened here');
    },
    health: () => ({ ok: true }),
  };
  return { provider, asked };
}

function registry() {
  const youtube = recorder('youtube', (u) => u.hostname === 'youtu.be');
  const spotify = recorder('spotify', (u) => parseSpotifyRef(u.href) !== null);
  const http = recorder('http', (u) => u.protocol === 'https:', false);
  return {
    youtube,
    spotify,
    http,
    registry: new ProviderRegistry([youtube.provider, spotify.provider, http.provider]),
  };
}

describe('the registry with Spotify links, URIs and prefixes', () => {
  it('sends an open.spotify.com link to the spotify provider with the guild, before the catch-all', async () => {
    const r = registry();
    await r.registry.resolve(`https://open.spotify.com/intl-de/album/${ID}?si=x`, { limit: 25, guildId: G });
    expect(r.spotify.asked).toEqual([
      `resolve https://open.spotify.com/intl-de/album/${ID}?si=x limit=25 guild=${G}`,
    ]);
    expect(r.http.asked).toEqual([]);
  });

  it('treats a spotify:track: URI as a link, not as words', async () => {
    const r = registry();
    await r.registry.resolve(`spotify:track:${ID}`, { limit: 1, guildId: G });
    expect(r.spotify.asked).toEqual([`resolve spotify:track:${ID} limit=1 guild=${G}`]);
    expect(r.youtube.asked).toEqual([]);
  });

  it('searches Spotify for words after a spotify: prefix, and YouTube for plain words', async () => {
    const r = registry();
    await r.registry.resolve('spotify: daft punk one more time', { limit: 10, guildId: G });
    await r.registry.resolve('Queen: Bohemian Rhapsody', { limit: 10, guildId: G });
    expect(r.spotify.asked).toEqual([`search daft punk one more time limit=1 guild=${G}`]);
    expect(r.youtube.asked).toEqual([`search Queen: Bohemian Rhapsody limit=1 guild=${G}`]);
  });

  it('refuses a prefix naming a provider that cannot search, and a prefix with no words', async () => {
    const r = registry();
    await expect(r.registry.resolve('http: something', { limit: 1 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'The http provider cannot search.',
    });
    await expect(r.registry.resolve('spotify:', { limit: 1 })).rejects.toBeInstanceOf(UserError);
    expect(r.spotify.asked).toEqual([]);
  });
});
