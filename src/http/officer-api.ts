/**
 * The officer API under /api (bearer ADMIN_TOKEN): the bearer check, then each capability's own
 * routes (items, motions, people, news, polls, schedules, the CSV export).
 */
import { Hono } from 'hono';
import type { Db } from '../../db/handle.ts';
import { itemsApi } from '../domains/items/api.ts';
import { exportApi } from '../domains/items/export-api.ts';
import { motionsApi } from '../domains/motions/api.ts';
import { newsApi } from '../domains/news/api.ts';
import { directoryApi } from '../domains/people/api.ts';
import { pollsApi } from '../domains/polls/api.ts';
import { schedulesApi } from '../domains/schedules/api.ts';
import type { KeyRing } from '../kernel/crypto/sealed.ts';
import type { Logger } from '../kernel/log.ts';
import { type ApiEnv, bearerActor } from './api-access.ts';
import { requireBearer } from './bearer.ts';
import type { SignInLimit } from './sign-in-limit.ts';

export interface OfficerApiDeps {
  db: Db;
  adminToken: string | undefined;
  /** Counts wrong tokens per source, and refuses a source past the limit. */
  signIns: SignInLimit;
  timeZone: string;
  log: Logger;
  now: () => Date;
  /** Wakes the outbox dispatcher once a notice is queued. */
  wake: () => void;
  /** Opens help requests for the audited read of one case, and seals replies to them. */
  keyRing: KeyRing;
  motionRules: { cosigners: number; answerDays: number };
  publicUrl: string;
  /** Wakes the news broadcast once an item is due. */
  wakeNews: () => void;
  /** Wakes the polls' clock once a poll is due to open. */
  wakePolls?: () => void;
  /** Runs a schedule now (its work queued in one transaction). */
  runSchedule: (id: string) => Promise<boolean>;
}

export function officerApi(deps: OfficerApiDeps) {
  const { db } = deps;
  return new Hono<ApiEnv>()
    .use('*', requireBearer(deps.adminToken, deps.signIns, 'api'))
    .use('*', bearerActor)
    .route('/', directoryApi({ db, log: deps.log, now: deps.now, keyRing: deps.keyRing }))
    .route('/', exportApi({ db, keyRing: deps.keyRing, timeZone: deps.timeZone, now: deps.now }))
    .route(
      '/',
      motionsApi({ db, now: deps.now, timeZone: deps.timeZone, wake: deps.wake, keyRing: deps.keyRing }),
    )
    .route(
      '/',
      schedulesApi({
        db,
        now: deps.now,
        timeZone: deps.timeZone,
        runNow: deps.runSchedule,
        wake: () => {
          deps.wake();
          deps.wakeNews();
        },
      }),
    )
    .route('/', newsApi({ db, now: deps.now, publicUrl: deps.publicUrl, wake: deps.wakeNews }))
    .route(
      '/',
      pollsApi({
        db,
        now: deps.now,
        timeZone: deps.timeZone,
        wake: deps.wake,
        wakePolls: deps.wakePolls ?? (() => {}),
        keyRing: deps.keyRing,
      }),
    )
    .route(
      '/',
      itemsApi({
        db,
        timeZone: deps.timeZone,
        log: deps.log,
        now: deps.now,
        wake: deps.wake,
        keyRing: deps.keyRing,
        motionRules: deps.motionRules,
      }),
    );
}
