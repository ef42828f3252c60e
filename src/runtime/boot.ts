/** Opens the configured database, applies migrations and settles the secrets the server needs. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openDatabase } from '../../db/client.ts';
import type { Config } from '../kernel/config.ts';
import { nodeAesGcm } from '../kernel/crypto/aes-gcm-node.ts';
import { createKeyRing, generateDataKey, type KeyRing } from '../kernel/crypto/sealed.ts';
import type { Logger } from '../kernel/log.ts';

export async function openConfiguredDatabase(config: Config, log: Logger) {
  const database = await openDatabase(
    config.DATABASE_URL
      ? { kind: 'postgres', url: config.DATABASE_URL }
      : { kind: 'pglite', dataDir: config.DATA_DIR },
  );
  await database.migrate();
  log.info('database.ready', { kind: database.kind });
  return database;
}

/**
 * The key ring sealing sensitive text: DATA_KEY, or a key generated once into the data directory
 * (never into the database, so a copy of the database alone reveals nothing).
 */
export async function dataKeyRing(config: Config, log: Logger): Promise<KeyRing> {
  if (config.DATA_KEY) return createKeyRing(config.DATA_KEY, nodeAesGcm);
  const file = join(config.DATA_DIR, 'data-key');
  let keys: string;
  try {
    keys = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(config.DATA_DIR, { recursive: true });
    keys = generateDataKey();
    // wx: if another instance wrote it first, use theirs.
    try {
      await writeFile(file, `${keys}\n`, { mode: 0o600, flag: 'wx' });
      log.warn('secret.generated', {
        name: 'data_key',
        hint: 'sensitive text is sealed with a key kept in the data directory; set DATA_KEY and keep it safe',
      });
    } catch (raced) {
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
      keys = (await readFile(file, 'utf8')).trim();
    }
  }
  return createKeyRing(keys, nodeAesGcm);
}
