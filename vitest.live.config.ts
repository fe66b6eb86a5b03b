import { defineConfig } from 'vitest/config';

/**
 * `npm run test:live`: the provider contract against the real YouTube and SoundCloud, and LRCLIB's. Needs the
 * internet, so it is not part of `npm test`; settings come from the environment (see test/live/).
 */
export default defineConfig({
  test: {
    name: 'live',
    include: ['test/live/**/*.live.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
