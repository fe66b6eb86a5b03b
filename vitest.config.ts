import { defineConfig } from 'vitest/config';

/**
 * Deadlines sized for a busy 2-core machine (see `npm run test:loaded`): a deadline only decides how
 * long a broken run takes to fail. `expect.poll` waits up to 30 s (vitest's default is 1 s), as `waitFor` in test/support/wait.ts does.
 */
const poll = { poll: { timeout: 30_000, interval: 20 } };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          expect: poll,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          expect: poll,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          setupFiles: ['test/e2e/support/strict-discord.ts'],
          testTimeout: 240_000,
          hookTimeout: 240_000,
          expect: poll,
          fileParallelism: false,
        },
      },
    ],
  },
});
