/**
 * The officer API under /api (bearer ADMIN_TOKEN): the bearer check, then each capability's own
 * routes (items, motions, people, news, polls, schedules, the CSV export).
 */
import { Hono } from 'hono';
import { itemsApi } from '../domains/items/api.ts';
import { exportApi } from '../domains/items/export-api.ts';
import type { KindRules } from '../domains/items/kind-rules.ts';
import { motionsApi } from '../domains/motions/api.ts';
import { newsApi } from '../domains/news/api.ts';
import { directoryApi } from '../domains/people/api.ts';
import { pollsApi } from '../domains/polls/api.ts';
import { schedulesApi } from '../domains/schedules/api.ts';
import type { Ctx } from '../kernel/ctx.ts';
import { type ApiEnv, bearerActor } from './api-access.ts';
import { requireBearer } from './bearer.ts';
import type { SignInLimit } from './sign-in-limit.ts';

/** What the officer API needs beyond the server's `Ctx`. */
export interface OfficerApiParts {
  adminToken: string | undefined;
  /** Counts wrong tokens per source, and refuses a source past the limit. */
  signIns: SignInLimit;
  /** What each kind adds to a move beyond its lifecycle (src/domains/items/kind-rules.ts). */
  kindRules: KindRules;
  /** Runs a schedule now (its work queued in one transaction). */
  runSchedule: (id: string) => Promise<boolean>;
}

export function officerApi(ctx: Ctx, parts: OfficerApiParts) {
  const { db, log, now, timeZone, keys: keyRing, publicUrl, wake } = ctx;
  return new Hono<ApiEnv>()
    .use('*', requireBearer(parts.adminToken, parts.signIns, 'api'))
    .use('*', bearerActor)
    .route('/', directoryApi({ db, log, now, keyRing }))
    .route('/', exportApi({ db, keyRing, timeZone, now }))
    .route('/', motionsApi({ db, now, timeZone, wake: wake.outbox, keyRing }))
    .route(
      '/',
      schedulesApi({
        db,
        now,
        timeZone,
        runNow: parts.runSchedule,
        wake: () => {
          wake.outbox();
          wake.news();
        },
      }),
    )
    .route('/', newsApi({ db, now, publicUrl, wake: wake.news }))
    .route('/', pollsApi({ db, now, timeZone, wake: wake.outbox, wakePolls: wake.polls, keyRing }))
    .route('/', itemsApi({ db, timeZone, log, now, wake: wake.outbox, keyRing, kindRules: parts.kindRules }));
}
