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
  return new Hono<ApiEnv>()
    .use('*', requireBearer(parts.adminToken, parts.signIns, 'api'))
    .use('*', bearerActor)
    .route('/', directoryApi(ctx))
    .route('/', exportApi(ctx))
    .route('/', motionsApi(ctx))
    .route('/', schedulesApi(ctx, { runNow: parts.runSchedule }))
    .route('/', newsApi(ctx))
    .route('/', pollsApi(ctx))
    .route('/', itemsApi(ctx, { kindRules: parts.kindRules }));
}
