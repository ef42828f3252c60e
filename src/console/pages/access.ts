/**
 * What the console's sections share: the header's view of the signed-in user, who did it (for
 * the audit log), the notice shown above a form, and the gate in front of the admins' sections
 * (an officer is refused with a bilingual page, and the attempt is audited).
 */
import type { MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import type { Db } from '../../../db/handle.ts';
import { type L10n, type Lang, t } from '../../../flows/engine/l10n.ts';
import { type AuditEntry, audit } from '../../store/audit.ts';
import { bare, type PageUser } from '../layout.ts';
import type { ConsoleEnv } from '../routes.ts';
import type { ConsoleUser } from '../sessions.ts';

export const pageUser = (user: ConsoleUser): PageUser => ({
  name: user.person?.displayName ?? '管理员 Admin',
  csrf: user.csrf,
  lang: user.language,
  role: user.role,
});

/** The audit log's actor for something done in the console. */
export const actorOf = (user: ConsoleUser): Pick<AuditEntry, 'actorType' | 'actorId'> =>
  user.person
    ? { actorType: 'officer', actorId: user.person.id }
    : { actorType: 'admin_token', actorId: null };

export interface Notice {
  ok: boolean;
  text: L10n;
}

export const noticeBox = (lang: Lang, notice: Notice | undefined) =>
  notice
    ? html`<div class="notice ${notice.ok ? 'ok' : 'bad'}" role="${notice.ok ? 'status' : 'alert'}">${t(lang, notice.text)}</div>`
    : '';

export const csrfField = (user: ConsoleUser) => html`<input type="hidden" name="csrf" value="${user.csrf}">`;

const adminsOnly: L10n = {
  zh: '此栏目仅对管理员开放。此次访问已记录。',
  en: 'This section is for admins only. The attempt was recorded.',
};

/** Lets admins through; refuses officers with 403 and records the attempt. */
export function adminOnly(deps: { db: Db; now: () => Date }): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const user = c.get('user');
    if (user.role === 'admin') return next();
    await audit(deps.db, {
      at: deps.now(),
      ...actorOf(user),
      action: 'console.admin_refused',
      subjectType: 'console',
      subjectId: c.req.path.slice(0, 100),
    });
    return c.html(
      bare({
        title: { zh: '仅限管理员', en: 'Admins only' },
        lang: user.language,
        body: html`<p>${adminsOnly.zh}</p><p lang="en">${adminsOnly.en}</p><p><a href="/console">概览 Dashboard</a></p>`,
      }),
      403,
    );
  };
}
