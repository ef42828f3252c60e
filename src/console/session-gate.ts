/**
 * The gate in front of every console page: a session is needed (a GET without one is sent to
 * sign in), and every post also needs its CSRF token and to come from this origin. A forged post
 * changes nothing and is audited (console.csrf_refused).
 */
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { secretsEqual } from '../http/bearer.ts';
import { audit } from '../pipeline/audit.ts';
import type { ConsoleDeps, ConsoleEnv } from './context.ts';
import { consoleCookie, refused, sameOrigin, security } from './guard.ts';
import { readSession } from './sessions.ts';
import { text } from './sign-in-text.ts';

export function sessionGate(deps: ConsoleDeps): MiddlewareHandler<ConsoleEnv> {
  const cookie = consoleCookie(deps.publicUrl);
  return async (c, next) => {
    const token = getCookie(c, cookie.name);
    const user = token ? await readSession(deps.db, token, deps.now()) : null;
    if (!user) {
      if (c.req.method === 'GET') return c.redirect('/console/signin', 303);
      return refused(c, 401, text.howTo);
    }
    if (c.req.method === 'POST') {
      const form = await c.req.parseBody();
      const csrf = typeof form.csrf === 'string' ? form.csrf : '';
      if (!sameOrigin(c, deps.publicUrl) || !(await secretsEqual(csrf, user.csrf))) {
        await audit(deps.db, {
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
  };
}
