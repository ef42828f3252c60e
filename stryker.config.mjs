/**
 * Mutation testing of the code that keeps the project's promises (signatures, decryption,
 * sealing, poll tally and voter tokens, the engine's checks of pressed and typed values):
 * `npm run test:mutation`. What is mutated, and by which tests, is listed in
 * mutation-targets.json, one line a target; docs/mutation-testing.md has the scores.
 */
import { readFileSync } from 'node:fs';

/** @type {{ targets: { mutate: string; tests: string }[] }} */
const { targets } = JSON.parse(readFileSync(new URL('./mutation-targets.json', import.meta.url), 'utf8'));

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: targets.map((target) => target.mutate),
  coverageAnalysis: 'perTest',
  // The machine is shared: one test process at a time.
  concurrency: 1,
  // A busy machine slows a test down several times over; a mutant that only slows the code is not
  // a survivor, and an endless loop still ends at this bound.
  timeoutMS: 20_000,
  timeoutFactor: 3,
  dryRunTimeoutMinutes: 10,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Every file must reach 90 % (docs/mutation-testing.md); the run fails below it overall.
  thresholds: { high: 95, low: 90, break: 90 },
  cleanTempDir: 'always',
};
