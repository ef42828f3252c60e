/**
 * What every part of the server is given: the database, the clock and the default time zone,
 * the keys that seal sensitive text, the log and metrics, the public address links are built on,
 * and the wake-up for jobs that have new work. Built once per server by `src/runtime/services.ts`;
 * a part asks for `Ctx` (or the few fields it reads, with `Pick<Ctx, …>`) and its own settings
 * beside it, instead of a dependency list of its own that repeats these.
 */
import type { Db } from '../../db/handle.ts';
import type { KeyRing } from './crypto/sealed.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';

/** The jobs a request can wake. */
export type WakeableJob = 'inbox' | 'outbox' | 'news' | 'polls';

/** Wakes a job after work was queued for it. */
export type Wake = Readonly<Record<WakeableJob, () => void>>;

export interface Ctx {
  db: Db;
  now: () => Date;
  /** The default time zone (TZ_DEFAULT): schedules, deadlines and times shown to people. */
  timeZone: string;
  keys: KeyRing;
  log: Logger;
  metrics: Metrics;
  /** The address links in messages start with (PUBLIC_URL, or the local one). */
  publicUrl: string;
  wake: Wake;
}
