import { UserError } from '../core/errors.ts';
import type { Track, TrackInput } from '../core/track.ts';
import type { PlayableStream, StreamSource } from '../playback/ports.ts';
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

  /**
   * A link goes to the provider that handles it (`spotify:track:...` URIs too); `name: words` (a
   * provider's name, a colon, then words) or `options.provider` searches that provider. `guildId`
   * reaches the provider for catalogs read with a guild's own account (Spotify).
   * @throws UserError INVALID_URL, NOT_FOUND, INVALID_INPUT
   */
  async resolve(
    query: string,
    options: { limit: number; provider?: string; guildId?: string; onTotal?: (total: number) => void },
  ): Promise<TrackInput[]> {
    const text = query.trim();
    if (!text) throw new UserError('INVALID_INPUT', 'Give a link or some words to search for.');
    const scope = options.guildId ? { guildId: options.guildId } : {};
    let url: URL | null = null;
    try {
      url = new URL(text);
    } catch {
      url = null;
    }
    const web = url !== null && (url.protocol === 'http:' || url.protocol === 'https:');
    // A URI of a provider's own scheme (spotify:track:<id>) is a link to that provider.
    const uriProvider =
      url && !web && !options.provider ? this.providers.find((p) => p.canResolve(url)) : null;
    if (url && (web || uriProvider)) {
      const provider = options.provider
        ? this.byName(options.provider)
        : (uriProvider ?? this.providers.find((p) => p.canResolve(url)));
      if (!provider?.canResolve(url))
        throw new UserError('INVALID_URL', 'I cannot play links from that site.');
      const tracks = await provider.resolve(url, {
        limit: options.limit,
        ...scope,
        ...(options.onTotal ? { onTotal: options.onTotal } : {}),
      });
      if (tracks.length === 0) throw new UserError('NOT_FOUND', 'Nothing playable was found at that link.');
      return tracks;
    }
    if (url && /^[a-z]+:\/\//.test(text))
      throw new UserError('INVALID_URL', 'Only http:// and https:// links can be played.');
    const prefixed = this.prefixed(text);
    const words = prefixed?.words ?? text;
    const searcher = options.provider
      ? this.byName(options.provider)
      : (prefixed?.provider ?? this.providers.find((p) => p.search));
    if (!searcher?.search) {
      if (options.provider || prefixed)
        throw new UserError('INVALID_INPUT', `The ${searcher?.name} provider cannot search.`);
      throw new UserError(
        'INVALID_INPUT',
        'Searching by name is not available on this bot yet: send a link to an audio file or stream.',
      );
    }
    if (!words) throw new UserError('INVALID_INPUT', 'Give some words to search for.');
    const found = await searcher.search(words, 1, scope);
    if (found.length === 0)
      throw new UserError('NOT_FOUND', `Nothing was found for "${words.slice(0, 80)}".`);
    return found;
  }

  /** `spotify: words` -> the spotify provider and the words; null without a known provider's prefix. */
  private prefixed(text: string): { provider: Provider; words: string } | null {
    const match = /^([a-z][a-z0-9_-]*):(?!\/\/)\s*(.*)$/is.exec(text);
    if (!match) return null;
    const provider = this.providers.find((p) => p.name === match[1]!.toLowerCase());
    return provider ? { provider, words: match[2]!.trim() } : null;
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
