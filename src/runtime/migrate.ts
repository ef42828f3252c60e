/** `npm run db:migrate`: applies the committed migrations to the configured database and exits. */
import { ConfigError, loadConfig } from '../kernel/config.ts';
import { createLogger, errorFields } from '../kernel/log.ts';
import { openConfiguredDatabase } from './boot.ts';

try {
  const config = loadConfig(process.env);
  const log = createLogger(config.LOG_LEVEL);
  const database = await openConfiguredDatabase(config, log);
  await database.close();
  log.info('migrations.applied', {});
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : JSON.stringify(errorFields(error)));
  process.exit(1);
}
