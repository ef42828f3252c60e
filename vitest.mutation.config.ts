/**
 * Test runner settings for mutation testing (stryker.config.mjs): only the fast, pure tests that
 * attack the mutated code, as listed in mutation-targets.json.
 */
import { defineConfig } from 'vitest/config';
import mutation from './mutation-targets.json' with { type: 'json' };

export default defineConfig({
  test: {
    include: [...new Set(mutation.targets.map((target) => target.tests))],
    exclude: ['node_modules/**'],
    testTimeout: 30_000,
  },
});
