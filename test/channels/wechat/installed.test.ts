/**
 * WeChat is installed separately. With WECHATY_PUPPET set and a package it needs missing, the
 * server does not start half-way: it names what is missing and how to install it, in both
 * languages, and exits with the configuration error status.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { missingWechatPackages } from '../../../bots/wechat/installed.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..', '..');

describe('the optional WeChat install', () => {
  it('names the packages that cannot be loaded', async () => {
    expect(await missingWechatPackages('wechaty-puppet-mock')).toEqual([]);
    expect(await missingWechatPackages('wechaty-puppet-not-installed')).toEqual([
      'wechaty-puppet-not-installed',
    ]);
  });

  it('refuses to start, saying what to install, when a package is missing', async () => {
    const failed = await run(process.execPath, ['--import', 'tsx', 'src/runtime/node.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: '0',
        WECHATY_PUPPET: 'wechaty-puppet-not-installed',
      },
    }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(78);
    expect(failed?.stderr).toContain('未安装：wechaty-puppet-not-installed');
    expect(failed?.stderr).toContain('npm install --no-save wechaty-puppet-not-installed');
    expect(failed?.stderr).toContain('not installed: wechaty-puppet-not-installed');
  });
});
