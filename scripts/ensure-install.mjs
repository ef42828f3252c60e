// Runs `npm install` before `npm start` on a fresh clone, so one command is enough to start.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../node_modules/.package-lock.json', import.meta.url))) {
  console.log('首次启动，正在安装依赖 / First start: installing dependencies (npm install)…');
  execSync('npm install --no-audit --no-fund', { stdio: 'inherit', cwd: new URL('..', import.meta.url) });
}
