/**
 * What `npm start` installs on a fresh clone, and how, so that starting changes no tracked file:
 * first `npm ci`, the lock file's exact versions; where that refuses (a registry that lacks some
 * optional platform builds leaves the lock "out of sync" in its eyes), `npm install --no-save`,
 * which installs the same locked versions and writes neither package.json nor package-lock.json.
 * Plain JavaScript: it runs before anything is installed.
 */

/** Written by npm at the end of every install: present, the dependencies are in place. */
export const installedMarker = 'node_modules/.package-lock.json';

const quiet = ['--no-audit', '--no-fund'];

/**
 * The commands to try in turn until one succeeds; none when the dependencies are installed.
 * @param {{ installed: boolean }} state
 * @returns {string[][]}
 */
export function installPlan({ installed }) {
  if (installed) return [];
  return [
    ['npm', 'ci', ...quiet],
    ['npm', 'install', '--no-save', ...quiet],
  ];
}
