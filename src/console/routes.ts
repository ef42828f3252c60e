/**
 * The officers' web console under /console: sign-in by a one-time link from the bot (or
 * ADMIN_TOKEN), a session cookie (HttpOnly, SameSite=Strict; `__Host-`, Secure over https) with a
 * CSRF token on every form, and the pages. Officers see the items of the units they handle; admins
 * see all. Refusals (expired or used links, a wrong token, a forged form, another unit's item)
 * change nothing and are audited; refused sign-ins per address and minute, and past ten a minute
 * that address is refused outright until the minute ends.
 */
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type { L10n, Lang } from '../../kernel/l10n.ts';
import { auditPages } from '../domains/audit/console.ts';
import { dashboardPage } from '../domains/digest/console.ts';
import { helpPages } from '../domains/help/console.ts';
import { itemPages } from '../domains/items/console.ts';
import { congressPages } from '../domains/motions/console.ts';
import { newsPages } from '../domains/news/console.ts';
import { peoplePages } from '../domains/people/console.ts';
import { pollPages } from '../domains/polls/console.ts';
import { schedulePages } from '../domains/schedules/console.ts';
import { secretsEqual } from '../http/bearer.ts';
import { attemptSignIn } from '../http/sign-in-limit.ts';
import { audit } from '../pipeline/audit.ts';
import { gate } from './access.ts';
import { consoleScript } from './assets.ts';
import type { ConsoleDeps, ConsoleEnv } from './context.ts';
import { bare } from './layout.ts';
import {
  endSession,
  openSession,
  readSession,
  sessionCookie,
  sessionHours,
  setSessionLanguage,
  useSignInLink,
} from './sessions.ts';
import { wechatPage } from './wechat.ts';

const text = {
  signIn: { zh: '登录后台', en: 'Sign in' },
  howTo: {
    zh: '请在飞书、微信或网页聊天中给同心助手发送“后台”，点收到的链接登录。链接 10 分钟内有效，只能用一次。',
    en: 'Send "console" to the Tongxin bot in Lark, WeChat or the web chat, and open the link it sends you. The link works once, within 10 minutes.',
  },
  tokenLabel: { zh: '管理员令牌（ADMIN_TOKEN）', en: 'Admin token (ADMIN_TOKEN)' },
  tokenSignIn: { zh: '用令牌登录', en: 'Sign in with the token' },
  confirm: { zh: '确认登录', en: 'Confirm sign-in' },
  confirmBody: {
    zh: '点下面的按钮，用这条链接登录后台。',
    en: 'Press the button to sign in to the console with this link.',
  },
  linkRefused: {
    unknown: { zh: '这条登录链接无效。', en: 'This sign-in link is not valid.' },
    expired: {
      zh: '这条登录链接已过期（10 分钟内有效）。',
      en: 'This sign-in link has expired (it lasts 10 minutes).',
    },
    used: {
      zh: '这条登录链接已经用过，每条只能用一次。',
      en: 'This sign-in link was already used; each works once.',
    },
    not_officer: { zh: '后台只对工会干部开放。', en: 'The console is for union officers only.' },
  } satisfies Record<string, L10n>,
  again: {
    zh: '请给同心助手再发一次“后台”，获取新的链接。',
    en: 'Send "console" to the Tongxin bot again for a new link.',
  },
  badToken: { zh: '令牌不正确。', en: 'The token is not right.' },
  tooMany: (seconds: number) => ({
    zh: `登录尝试过多，请 ${seconds} 秒后再试。`,
    en: `Too many sign-in attempts. Please try again in ${seconds} seconds.`,
  }),
  noToken: {
    zh: '未设置 ADMIN_TOKEN，不能用令牌登录。',
    en: 'ADMIN_TOKEN is not set, so token sign-in is off.',
  },
  forged: {
    zh: '表单已失效或来源不明，没有执行。请刷新页面后重试。',
    en: 'The form is stale or did not come from this console, so nothing was done. Reload the page and try again.',
  },
  refusedTitle: { zh: '没有执行', en: 'Not done' },
};

const both = (l: L10n) => html`<p>${l.zh}</p><p lang="en">${l.en}</p>`;

export function consoleRoutes(deps: ConsoleDeps) {
  const { db } = deps;
  const secure = deps.publicUrl.startsWith('https:');
  const cookie = sessionCookie(secure);
  const security = (c: Context) => {
    c.header(
      'content-security-policy',
      "default-src 'self'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    c.header('x-content-type-options', 'nosniff');
    // Same-origin requests keep their origin (the forms' check uses it); nothing leaks elsewhere.
    c.header('referrer-policy', 'same-origin');
    c.header('cache-control', 'no-store');
  };
  /** A form post must come from this origin (browsers send Origin on every POST). */
  const sameOrigin = (c: Context) => {
    const origin = c.req.header('origin');
    // A browser that withholds the origin ("null") still says where the request came from.
    if (!origin || origin === 'null') {
      const site = c.req.header('sec-fetch-site');
      return origin === 'null' ? site === 'same-origin' : site !== 'cross-site';
    }
    return origin === new URL(c.req.url).origin || origin === new URL(deps.publicUrl).origin;
  };
  const refused = (c: Context, status: 400 | 401 | 403 | 410 | 429, message: L10n, lang: Lang = 'zh') => {
    security(c);
    return c.html(bare({ title: text.refusedTitle, lang, body: both(message) }), status);
  };
  const tooMany = (c: Context, seconds: number) => {
    c.header('retry-after', String(seconds));
    return refused(c, 429, text.tooMany(seconds));
  };
  const startSession = async (c: Context, person: Parameters<typeof openSession>[1]) => {
    const token = await openSession(db, person, deps.now());
    setCookie(c, cookie.name, token, {
      httpOnly: true,
      secure,
      sameSite: 'Strict',
      path: cookie.path,
      maxAge: sessionHours * 3600,
    });
    return c.redirect('/console', 303);
  };

  const app = new Hono<ConsoleEnv>();

  app.get('/console/assets/chart.js', async (c) => {
    c.header('cache-control', 'public, max-age=86400');
    return c.body(await deps.chartScript(), 200, { 'content-type': 'text/javascript; charset=utf-8' });
  });
  app.get('/console/assets/console.js', (c) => {
    c.header('cache-control', 'public, max-age=3600');
    return c.body(consoleScript, 200, { 'content-type': 'text/javascript; charset=utf-8' });
  });

  app.get('/console/signin', (c) => {
    security(c);
    return c.html(
      bare({
        title: text.signIn,
        lang: 'zh',
        body: html`${both(text.howTo)}
          ${
            deps.adminToken
              ? html`<form method="post" action="/console/signin/token" class="card">
              <label>${text.tokenLabel.zh} <span lang="en">${text.tokenLabel.en}</span>
                <input type="password" name="token" autocomplete="current-password" required></label>
              <p><button class="primary" type="submit">${text.tokenSignIn.zh} ${text.tokenSignIn.en}</button></p>
            </form>`
              : ''
          }`,
      }),
    );
  });

  // The link opens a page with a button: a preview fetched by a messenger cannot use it up.
  app.get('/console/signin/link', (c) => {
    security(c);
    const token = c.req.query('t') ?? '';
    return c.html(
      bare({
        title: text.confirm,
        lang: 'zh',
        body: html`${both(text.confirmBody)}
          <form method="post" action="/console/signin/link">
            <input type="hidden" name="t" value="${token}">
            <button class="primary" type="submit">${text.confirm.zh} ${text.confirm.en}</button>
          </form>`,
      }),
    );
  });

  app.post('/console/signin/link', async (c) => {
    if (!sameOrigin(c)) return refused(c, 403, text.forged);
    const form = await c.req.parseBody();
    const token = typeof form.t === 'string' ? form.t.slice(0, 200) : '';
    let used: Awaited<ReturnType<typeof useSignInLink>> | undefined;
    const outcome = await attemptSignIn(deps.signIns, c, 'console_link', async () => {
      used = await useSignInLink(db, token, deps.now());
      return used.ok ? null : `link_${used.reason}`;
    });
    if (typeof outcome === 'object') return tooMany(c, outcome.wait);
    if (!used?.ok) {
      const reason = text.linkRefused[used?.reason ?? 'unknown'];
      return refused(c, used?.reason === 'not_officer' ? 403 : 410, {
        zh: `${reason.zh}${text.again.zh}`,
        en: `${reason.en} ${text.again.en}`,
      });
    }
    return startSession(c, used.person);
  });

  app.post('/console/signin/token', async (c) => {
    if (!sameOrigin(c)) return refused(c, 403, text.forged);
    if (!deps.adminToken) return refused(c, 403, text.noToken);
    const form = await c.req.parseBody();
    const given = typeof form.token === 'string' ? form.token : '';
    const expected = deps.adminToken;
    const outcome = await attemptSignIn(deps.signIns, c, 'console_token', async () =>
      (await secretsEqual(given, expected)) ? null : 'console_token',
    );
    if (typeof outcome === 'object') return tooMany(c, outcome.wait);
    if (outcome === 'refused') return refused(c, 401, text.badToken);
    return startSession(c, null);
  });

  // Everything below needs a session; every post also its CSRF token and this origin.
  app.use('/console/*', async (c, next) => {
    const token = getCookie(c, cookie.name);
    const user = token ? await readSession(db, token, deps.now()) : null;
    if (!user) {
      if (c.req.method === 'GET') return c.redirect('/console/signin', 303);
      return refused(c, 401, text.howTo);
    }
    if (c.req.method === 'POST') {
      const form = await c.req.parseBody();
      const csrf = typeof form.csrf === 'string' ? form.csrf : '';
      if (!sameOrigin(c) || !(await secretsEqual(csrf, user.csrf))) {
        await audit(db, {
          at: deps.now(),
          actorType: user.person ? 'officer' : 'admin_token',
          actorId: user.person?.id ?? null,
          action: 'console.csrf_refused',
          subjectType: 'console',
          subjectId: c.req.path.slice(0, 100),
        });
        return refused(c, 403, text.forged, user.language);
      }
    }
    c.set('user', user);
    security(c);
    await next();
  });
  // The middleware above covers /console itself too.
  app.get('/console', gate(deps, 'console.enter'), async (c) =>
    c.html(await dashboardPage(deps, c.get('user'))),
  );

  app.post('/console/signout', gate(deps, 'console.enter'), async (c) => {
    await endSession(db, c.get('user'), deps.now());
    deleteCookie(c, cookie.name, { path: cookie.path, secure });
    return c.redirect('/console/signin', 303);
  });

  app.post('/console/lang', gate(deps, 'console.enter'), async (c) => {
    const form = await c.req.parseBody();
    await setSessionLanguage(db, c.get('user'), form.lang === 'en' ? 'en' : 'zh');
    const back =
      typeof form.back === 'string' && /^\/console(\/[\w./-]*)?$/.test(form.back) ? form.back : '/console';
    return c.redirect(back, 303);
  });

  app.route('/', itemPages(deps));
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
