import type { Provider, ProviderHealth } from '../providers/provider.ts';

/**
 * A provider whose module (and the library behind it: youtubei.js, play-dl, ~70 MB resident together)
 * is loaded on its first use, not at start: an idle instance that never plays from it never pays for
 * it. Which links it takes is known without loading (`canResolve` from the provider's light URL module).
 */
export function lazyProvider(
  name: string,
  canResolve: (url: URL) => boolean,
  load: () => Promise<Provider>,
): Provider & Required<Pick<Provider, 'search'>> {
  let loaded: Provider | null = null;
  let loading: Promise<Provider> | null = null;
  const real = () => {
    loading ??= load().then((p) => {
      loaded = p;
      return p;
    });
    return loading;
  };
  return {
    name,
    canResolve,
    resolve: async (url, options) => (await real()).resolve(url, options),
    search: async (query, limit, options) => {
      const p = await real();
      if (!p.search) throw new Error(`${name} cannot search`);
      return p.search(query, limit, options);
    },
    open: async (track, options) => (await real()).open(track, options),
    health: (): ProviderHealth => loaded?.health() ?? { ok: true, detail: { loaded: false } },
  };
}
