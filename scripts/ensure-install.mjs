/**
 * `prestart`: installs the dependencies before `npm start` on a fresh clone, so one command is
 * enough to start, without changing package.json or package-lock.json (see install-plan.mjs).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { installedMarker, installPlan } from './install-plan.mjs';

const root = new URL('..', import.meta.url);
const plan = installPlan({ installed: existsSync(new URL(installedMarker, root)) });

if (plan.length > 0) {
  console.log('首次启动，正在安装依赖 / First start: installing dependencies');
  const ok = plan.some((argv, i) => {
    const command = argv.join(' ');
    if (i > 0) console.log(`上一步未成功，改用 ${command} / That did not succeed; trying ${command}`);
    // A shell finds npm's .cmd wrapper on Windows; the arguments are fixed words, nothing to quote.
    return spawnSync(command, { stdio: 'inherit', cwd: root, shell: true }).status === 0;
  });
  if (!ok) {
    console.error(
      '安装依赖失败，见上面 npm 的输出 / Installing the dependencies failed: see npm’s output above',
    );
    process.exit(1);
  }
}
