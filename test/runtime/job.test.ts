/**
 * `npm run job -- <kind>` as an operator runs it: a child process against the configured
 * database, which queues the job's work through the outbox and sends it before exiting.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { schedules } from '../../db/schema/index.ts';
import { createKeyRing } from '../../src/kernel/crypto/sealed.ts';
import { messagesAfter } from '../../src/pipeline/web-history.ts';

const root = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

async function job(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/runtime/job.ts', ...args],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
      },
    );
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

describe('npm run job', () => {
  it('runs a schedule by its number and sends what it queued; refuses unknown kinds', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tongxin-job-'));
    try {
      const database = await openDatabase({ kind: 'pglite', dataDir });
      await database.migrate();
      const [row] = await database.db
        .insert(schedules)
        .values({
          name: '例会通知',
          cron: '0 9 * * 1',
          kind: 'message',
          payload: { channel: 'web', chatId: 'visitor-1', text: '今天下午三点工会例会。' },
          nextFireAt: new Date('2030-01-07T01:00:00Z'),
        })
        .returning();
      await database.close();

      const usage = await job({ DATA_DIR: dataDir }, 'everything');
      expect(usage.code).toBe(64);
      expect(usage.out).toContain('用法 Usage: npm run job --');
      const missing = await job({ DATA_DIR: dataDir }, 'schedule', '999');
      expect(missing.code).toBe(1);
      expect(missing.out).toContain('没有编号为 999 的定时任务');

      const ran = await job({ DATA_DIR: dataDir }, 'schedule', String(row!.no));
      expect(ran.code).toBe(0);
      expect(ran.out).toContain('"event":"job.done","kind":"schedule","done":1,"sent":1');

      const after = await openDatabase({ kind: 'pglite', dataDir });
      // The history is sealed with the key the server generated into its data directory.
      const keys = createKeyRing((await readFile(join(dataDir, 'data-key'), 'utf8')).trim());
      const shown = await messagesAfter(after.db, 'visitor-1', 0, 10, keys);
      await after.close();
      expect(shown).toHaveLength(1);
      expect(JSON.stringify(shown[0]!.payload)).toContain('今天下午三点工会例会');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
