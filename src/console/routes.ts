/**
 * The officers' web console under /console: sign-in by a one-time link from the bot (or
 * ADMIN_TOKEN), a session cookie (HttpOnly, SameSite=Strict; `__Host-`, Secure over https) with a
 * CSRF token on every form, and the pages. Officers see the items of the units they handle; admins
 * see all. Refusals (expired or used links, a wrong token, a forged form, another unit's item)
 * change nothing and are audited; refused sign-ins per address and minute, and past ten a minute
 * that address is refused outright until the minute ends. This file is the order of it all: the
 * assets and sign-in first, then the session gate, then every section's pages.
 */
import { type Context, Hono } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { auditPages } from '../domains/audit/console.ts';
import { dashboardPage } from '../domains/digest/console.ts';
import { helpPages } from '../domains/help/console.ts';
import { itemPages } from '../domains/items/console.ts';
import { congressPages } from '../domains/motions/console.ts';
import { motionExtendPages } from '../domains/motions/console-extend.ts';
import { newsPages } from '../domains/news/console.ts';
import { peoplePages } from '../domains/people/console.ts';
import { pollPages } from '../domains/polls/console.ts';
import { schedulePages } from '../domains/schedules/console.ts';
import { gate } from './access.ts';
import { consoleScript } from './assets.ts';
import type { ConsoleDeps, ConsoleEnv } from './context.ts';
import { consoleCookie } from './guard.ts';
import { sessionGate } from './session-gate.ts';
import { endSession, setSessionLanguage } from './sessions.ts';
import { linkPage, signInByLink, signInByToken, signInPage } from './sign-in.ts';
import { wechatPage } from './wechat.ts';

export function consoleRoutes(deps: ConsoleDeps) {
  const app = new Hono<ConsoleEnv>();
  app.get('/console/assets/chart.js', (c) => chartAsset(c, deps));
  app.get('/console/assets/console.js', consoleAsset);

  app.get('/console/signin', (c) => signInPage(c, deps));
  app.get('/console/signin/link', linkPage);
  app.post('/console/signin/link', (c) => signInByLink(c, deps));
  app.post('/console/signin/token', (c) => signInByToken(c, deps));

  // Everything below needs a session; every post also its CSRF token and this origin.
  app.use('/console/*', sessionGate(deps));
  // The middleware above covers /console itself too.
  app.get('/console', gate(deps, 'console.enter'), async (c) =>
    c.html(await dashboardPage(deps, c.get('user'))),
  );
  app.post('/console/signout', gate(deps, 'console.enter'), (c) => signOut(c, deps));
  app.post('/console/lang', gate(deps, 'console.enter'), (c) => setLanguage(c, deps));

  app.route('/', itemPages(deps));
  app.route('/', motionExtendPages(deps));
  app.route('/', wechatPage(deps));
  app.route('/', pollPages(deps));
  app.route('/', newsPages(deps));
  app.route('/', helpPages(deps));
  app.route('/', schedulePages(deps));
  app.route('/', peoplePages(deps));
  app.route('/', congressPages(deps));
  app.route('/', auditPages(deps));
  return app;
}

async function chartAsset(c: Context, deps: ConsoleDeps) {
  c.header('cache-control', 'public, max-age=86400');
  return c.body(await deps.chartScript(), 200, { 'content-type': 'text/javascript; charset=utf-8' });
}

function consoleAsset(c: Context) {
  c.header('cache-control', 'public, max-age=3600');
  return c.body(consoleScript, 200, { 'content-type': 'text/javascript; charset=utf-8' });
}

async function signOut(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const cookie = consoleCookie(deps.publicUrl);
  await endSession(deps.db, c.get('user'), deps.now());
  deleteCookie(c, cookie.name, { path: cookie.path, secure: cookie.secure });
  return c.redirect('/console/signin', 303);
}

/** Keeps the chosen language for the session and goes back to the console page it was chosen on. */
async function setLanguage(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const form = await c.req.parseBody();
  await setSessionLanguage(deps.db, c.get('user'), form.lang === 'en' ? 'en' : 'zh');
  const back =
    typeof form.back === 'string' && /^\/console(\/[\w./-]*)?$/.test(form.back) ? form.back : '/console';
  return c.redirect(back, 303);
}
