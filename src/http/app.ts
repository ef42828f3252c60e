/**
 * Assembles the Hono app from its parts: the server's `Ctx` and the few things only the app needs
 * (`AppParts`), so tests, the Node server and other runtimes build the same app over their own resources.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError, errorText } from '../../kernel/errors.ts';
import { refuseUnstorableForm, refuseUnstorableUrl } from '../../kernel/http/unstorable-input.ts';
import { consoleRoutes } from '../console/routes.ts';
import type { KindRules } from '../domains/items/kind-rules.ts';
import { newsPageRoutes } from '../domains/news/page.ts';
import { rosterLimits } from '../domains/people/roster-file.ts';
import { pollPrivacyRoutes } from '../domains/polls/privacy-page.ts';
import type { Ctx } from '../kernel/ctx.ts';
import { accessLog } from './access-log.ts';
import type { SourceOf } from './client-address.ts';
import { errorBody, handleError } from './error-response.ts';
import { createFailedSignIns } from './failed-sign-ins.ts';
import { healthRoutes } from './health.ts';
import { metricsRoutes } from './metrics-route.ts';
import { officerApi } from './officer-api.ts';
import { openApiDocument } from './openapi.ts';
import type { SignInLimit } from './sign-in-limit.ts';

/** What the app needs beyond the server's `Ctx`. */
export interface AppParts {
  adminToken: string | undefined;
  /** Each channel's own routes (the web chat's page and messages, Lark's webhook). */
  channelRoutes: readonly Hono[];
  /** What each kind adds to a move beyond its lifecycle (src/domains/items/kind-rules.ts). */
  kindRules: KindRules;
  /** Runs a schedule now (the officer API's run-now). */
  runSchedule: (id: string) => Promise<boolean>;
  /** Chart.js's browser build, for the console's charts (read from the package on Node). */
  chartScript: () => Promise<string>;
  /** The WeChat login QR code waiting to be scanned, if any. */
  wechatQr?: () => string | null;
  /** The channels whose enterprise directory can be read into the roster. */
  directories?: readonly string[];
  /** The largest photo or document taken, in bytes (what a refusal on an item's page states). */
  fileMaxBytes?: number;
  /** Where a request comes from, for the limit on guessing ADMIN_TOKEN and sign-in links (unset: all alike). */
  sourceOf?: SourceOf;
}

export const maxBodyBytes = 64 * 1024;

export function createApp(ctx: Ctx, parts: AppParts) {
  const { db, log, now } = ctx;
  const signIns: SignInLimit = {
    sourceOf: parts.sourceOf ?? (() => 'unknown'),
    failures: createFailedSignIns(db, now),
  };
  const api = officerApi(ctx, { signIns, ...parts });
  const openApi = openApiDocument();

  const app = new Hono();
  app.use('*', accessLog(log, ctx.metrics));
  // No route sees a path or query string with NUL or a lone surrogate (the forms after the body limit).
  app.use('*', refuseUnstorableUrl());
  const limit = bodyLimit({
    maxSize: maxBodyBytes,
    onError: () => {
      throw new AppError('payload_too_large', errorText.tooLarge(maxBodyBytes));
    },
  });
  // An upload is read within the file limit by its own route (bots/web/upload.ts).
  app.use('/chat/*', (c, next) =>
    c.req.method === 'POST' && c.req.path === '/chat/files' ? next() : limit(c, next),
  );
  app.use('/api/*', limit);
  // A roster upload may be larger than a form; it is read within its own limit.
  const uploadLimit = bodyLimit({
    maxSize: rosterLimits.fileBytes + maxBodyBytes,
    onError: () => {
      throw new AppError('payload_too_large', errorText.tooLarge(rosterLimits.fileBytes));
    },
  });
  app.use('/console/*', (c, next) =>
    c.req.method === 'POST' && c.req.path === '/console/people/roster'
      ? uploadLimit(c, next)
      : limit(c, next),
  );
  app.use('/console/*', refuseUnstorableForm());
  app.route('/', healthRoutes(db));
  app.route('/', metricsRoutes({ db, metrics: ctx.metrics, adminToken: parts.adminToken, signIns }));
  app.get('/', (c) => c.redirect('/chat'));
  // Webhooks enforce their platform's own limit as they read (1 MiB for Lark).
  for (const routes of parts.channelRoutes) app.route('/', routes);
  app.route('/', newsPageRoutes({ db, timeZone: ctx.timeZone, now }));
  app.route('/', pollPrivacyRoutes());
  app.route(
    '/',
    consoleRoutes({
      ...ctx,
      signIns,
      adminToken: parts.adminToken,
      kindRules: parts.kindRules,
      chartScript: parts.chartScript,
      wechatQr: parts.wechatQr ?? (() => null),
      runSchedule: parts.runSchedule,
      directories: parts.directories ?? [],
      ...(parts.fileMaxBytes ? { fileMaxBytes: parts.fileMaxBytes } : {}),
    }),
  );
  app.get('/api/openapi.json', (c) => c.json(openApi));
  app.route('/api', api);
  app.notFound((c) => c.json(errorBody(c, 'not_found', errorText.notFound), 404));
  app.onError((error, c) => handleError(error, c, log));
  return app;
}

export type App = ReturnType<typeof createApp>;
