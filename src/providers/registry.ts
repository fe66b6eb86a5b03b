import { UserError } from '../core/errors.ts';
import type { PlayableStream, StreamSource } from '../playback/ports.ts';
import type { Track, TrackInput } from '../queue/track.ts';
import type { Provider, ProviderHealth } from './provider.ts';

/**
 * Picks the provider for what a member typed: a link goes to the first provider that handles it (in
 * the order given, the catch-all direct HTTP provider last), words go to the search provider, and a
 * `provider:` prefix or option chooses one.
 */
export class ProviderRegistry implements StreamSource {
  private readonly providers: Provider[];

  constructor(providers: Provider[]) {
    this.providers = providers;
  }

  /** @throws UserError INVALID_URL, NO_RESULT, INVALID_INPUT */
  async resolve(query: string, options: { limit: number; provider?: string }): Promise<TrackInput[]> {
    const text = query.trim();
    if (!text) throw new UserError('INVALID_INPUT', 'Give a link or some words to search for.');
    let url: URL | null = null;
    try {
      url = new URL(text);
    } catch {
      url = null;
    }
    if (
      url &&
      /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) &&
      (url.protocol === 'http:' || url.protocol === 'https:')
    ) {
      const provider = options.provider
        ? this.byName(options.provider)
        : this.providers.find((p) => p.canResolve(url));
      if (!provider?.canResolve(url))
        throw new UserError('INVALID_URL', 'I cannot play links from that site.');
      const tracks = await provider.resolve(url, { limit: options.limit });
      if (tracks.length === 0) throw new UserError('NOT_FOUND', 'Nothing playable was found at that link.');
      return tracks;
    }
    if (url && /^[a-z]+:\/\//.test(text))
      throw new UserError('INVALID_URL', 'Only http:// and https:// links can be played.');
    const searcher = options.provider ? this.byName(options.provider) : this.providers.find((p) => p.search);
    if (!searcher?.search) {
      throw new UserError(
        'INVALID_INPUT',
        'Searching by name is not available on this bot yet: send a link to an audio file or stream.',
      );
    }
    const found = await searcher.search(text, 1);
    if (found.length === 0) throw new UserError('NOT_FOUND', `Nothing was found for "${text.slice(0, 80)}".`);
    return found;
  }

  /** Opens a queued track's audio with the provider that queued it. */
  open(track: Track, options: { seekMs?: number }): Promise<PlayableStream> {
    return this.byName(track.provider).open(track, options);
  }

  /** Every provider, in match order, with whether it can search. */
  list(): { name: string; canSearch: boolean }[] {
    return this.providers.map((p) => ({ name: p.name, canSearch: typeof p.search === 'function' }));
  }

  /** Searches one provider by name. @throws UserError NOT_FOUND (no such provider), INVALID_INPUT */
  async search(name: string, query: string, limit: number): Promise<TrackInput[]> {
    const provider = this.providers.find((p) => p.name === name);
    if (!provider) throw new UserError('NOT_FOUND', `There is no provider called "${name}".`);
    if (!provider.search) throw new UserError('INVALID_INPUT', `The ${name} provider cannot search.`);
    const text = query.trim();
    if (!text) throw new UserError('INVALID_INPUT', 'Give some words to search for.');
    return provider.search(text, limit);
  }

  health(): Record<string, ProviderHealth> {
    return Object.fromEntries(this.providers.map((p) => [p.name, p.health()]));
  }

  private byName(name: string): Provider {
    const provider = this.providers.find((p) => p.name === name);
    if (!provider) throw new UserError('INVALID_INPUT', `There is no provider called "${name}".`);
    return provider;
  }
}
