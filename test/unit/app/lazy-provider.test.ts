import { describe, expect, it } from 'vitest';
import { lazyProvider } from '../../../src/app/lazy-provider.ts';
import type { Provider } from '../../../src/providers/provider.ts';

const fake = (): Provider => ({
  name: 'fake',
  canResolve: () => true,
  resolve: async (url) => [{ title: url.hostname } as never],
  search: async (query) => [{ title: query } as never],
  open: async () => {
    throw new Error('not in this test');
  },
  health: () => ({ ok: false, detail: 'real' }),
});

describe('a provider loaded on first use', () => {
  it('answers canResolve and health without loading, and loads once on the first call', async () => {
    let loads = 0;
    const provider = lazyProvider(
      'fake',
      (url) => url.hostname === 'example.com',
      async () => {
        loads++;
        return fake();
      },
    );
    expect(provider.canResolve(new URL('https://example.com/x'))).toBe(true);
    expect(provider.canResolve(new URL('https://other.org/x'))).toBe(false);
    expect(provider.health()).toEqual({ ok: true, detail: { loaded: false } });
    expect(loads).toBe(0);
    const [a, b] = await Promise.all([
      provider.resolve(new URL('https://example.com/x'), { limit: 1 }),
      provider.search('words', 1),
    ]);
    expect(a).toEqual([{ title: 'example.com' }]);
    expect(b).toEqual([{ title: 'words' }]);
    expect(loads).toBe(1);
    expect(provider.health()).toEqual({ ok: false, detail: 'real' });
  });

  it('passes the loaded provider errors on', async () => {
    const provider = lazyProvider(
      'fake',
      () => true,
      async () => fake(),
    );
    await expect(provider.open({} as never, {})).rejects.toThrow('not in this test');
  });
});
