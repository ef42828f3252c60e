/** Test runner settings: one process per file so each file owns its database and server. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The reliability suite runs on its own: npm run test:reliability.
    exclude: ['test/reliability/**', 'node_modules/**'],
    pool: 'forks',
    // Generous for a busy two-core machine, where starting a database or a server process can
    // take most of a minute; not infinite, so a hang still ends. Tests wait for events, and these
    // only bound how long a broken one takes to fail. A test that starts server processes sets
    // its own, longer limit.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
