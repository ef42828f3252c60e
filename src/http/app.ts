/**
 * Assembles the Hono app from its parts. Everything it needs comes in through `AppDeps`, so
 * tests, the Node server and other runtimes build the same app over their own resources.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Db } from '../../db/handle.ts';
import { AppError, errorText } from '../../kernel/errors.ts';
import { refuseUnstorableForm, refuseUnstorableUrl } from '../../kernel/http/unstorable-input.ts';
import { consoleRoutes } from '../console/routes.ts';
import { newsPageRoutes } from '../domains/news/page.ts';
import { pollPrivacyRoutes } from '../domains/polls/privacy-page.ts';
import type { KeyRing } from '../kernel/crypto/sealed.ts';
import type { Logger } from '../kernel/log.ts';
import type { Metrics } from '../kernel/metrics.ts';
import { accessLog } from './access-log.ts';
import type { SourceOf } from './client-address.ts';
import { errorBody, handleError } from './error-response.ts';
import { createFailedSignIns } from './failed-sign-ins.ts';
import { healthRoutes } from './health.ts';
import { metricsRoutes } from './metrics-route.ts';
import { officerApi } from './officer-api.ts';
import { openApiDocument } from './openapi.ts';
import type { SignInLimit } from './sign-in-limit.ts';

export interface AppDeps {
  db: Db;
  log: Logger;
  timeZone: string;
  adminToken: string | undefined;
  /** Wakes the jobs after new work is written (an inbound event, a queued notice). */
  wake: { inbox(): void; outbox(): void; news?(): void; polls?(): void };
  /** Each channel's own routes (the web chat's page and messages, Lark's webhook). */
  channelRoutes: readonly Hono[];
  now?: () => Date;
  metrics: Metrics;
  keyRing: KeyRing;
  motionRules: { cosigners: number; answerDays: number };
  /** Where people reach this server (links to news pages). */
  publicUrl: string;
  /** Runs a schedule now (the officer API's run-now). */
  runSchedule: (id: string) => Promise<boolean>;
  /** Chart.js's browser build, for the console's charts (read from the package on Node). */
  chartScript: () => Promise<string>;
  /** The WeChat login QR code waiting to be scanned, if any. */
  wechatQr?: () => string | null;
  /** Where a request comes from, for the limit on guessing ADMIN_TOKEN and sign-in links (unset: all alike). */
  sourceOf?: SourceOf;
}

export const maxBodyBytes = 64 * 1024;

export function createApp(deps: AppDeps) {
  const now = deps.now ?? (() => new Date());
  const signIns: SignInLimit = {
    sourceOf: deps.sourceOf ?? (() => 'unknown'),
    failures: createFailedSignIns(deps.db, now),
  };
  const api = officerApi({
    signIns,
    db: deps.db,
    adminToken: deps.adminToken,
    timeZone: deps.timeZone,
    log: deps.log,
    now,
    wake: deps.wake.outbox,
    keyRing: deps.keyRing,
    motionRules: deps.motionRules,
    publicUrl: deps.publicUrl,
    wakeNews: () => deps.wake.news?.(),
    wakePolls: () => deps.wake.polls?.(),
    runSchedule: deps.runSchedule,
  });
  const openApi = openApiDocument();

  const app = new Hono();
  app.use('*', accessLog(deps.log, deps.metrics));
  // No route sees a path or query string with NUL or a lone surrogate (the forms after the body limit).
  app.use('*', refuseUnstorableUrl());
  const limit = bodyLimit({
    maxSize: maxBodyBytes,
    onError: () => {
      throw new AppError('payload_too_large', errorText.tooLarge(maxBodyBytes));
    },
  });
  app.use('/chat/*', limit);
  app.use('/api/*', limit);
  app.use('/console/*', limit);
  app.use('/console/*', refuseUnstorableForm());
  app.route('/', healthRoutes(deps.db));
  app.route('/', metricsRoutes({ db: deps.db, metrics: deps.metrics, adminToken: deps.adminToken, signIns }));
  app.get('/', (c) => c.redirect('/chat'));
  // Webhooks enforce their platform's own limit as they read (1 MiB for Lark).
  for (const routes of deps.channelRoutes) app.route('/', routes);
  app.route('/', newsPageRoutes({ db: deps.db, timeZone: deps.timeZone, now }));
  app.route('/', pollPrivacyRoutes());
  app.route(
    '/',
    consoleRoutes({
      signIns,
      db: deps.db,
      log: deps.log,
      now,
      timeZone: deps.timeZone,
      adminToken: deps.adminToken,
      publicUrl: deps.publicUrl,
      keyRing: deps.keyRing,
      motionRules: deps.motionRules,
      wake: deps.wake.outbox,
      chartScript: deps.chartScript,
      wechatQr: deps.wechatQr ?? (() => null),
      wakeNews: () => deps.wake.news?.(),
      wakePolls: () => deps.wake.polls?.(),
      runSchedule: deps.runSchedule,
    }),
  );
  app.get('/api/openapi.json', (c) => c.json(openApi));
  app.route('/api', api);
  app.notFound((c) => c.json(errorBody(c, 'not_found', errorText.notFound), 404));
  app.onError((error, c) => handleError(error, c, deps.log));
  return app;
}

export type App = ReturnType<typeof createApp>;
