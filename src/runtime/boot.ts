/** Opens the configured database, applies migrations and settles the secrets the server needs. */
import { openDatabase } from '../../db/client.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { ensureSecret } from '../store/secrets.ts';

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

/** WEB_COOKIE_SECRET, or one generated once and kept in the database for every instance. */
export async function webCookieSecret(
  config: Config,
  database: { db: Parameters<typeof ensureSecret>[0] },
  log: Logger,
) {
  if (config.WEB_COOKIE_SECRET) return config.WEB_COOKIE_SECRET;
  const secret = await ensureSecret(database.db, 'web_cookie');
  if (secret.created)
    log.warn('secret.generated', { name: 'web_cookie', hint: 'set WEB_COOKIE_SECRET to manage it yourself' });
  return secret.value;
}
