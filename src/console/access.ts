/**
 * What the console's sections share: the header's view of the signed-in user, who did it (for
 * the audit log), the notice shown above a form, the gate every route passes (the access rules'
 * decision for its action: a refusal is a bilingual 403 page, and the attempt is audited), and
 * the same refusal for one thing the user may not touch (another unit's item, someone else's poll).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import type { Db } from '../../db/handle.ts';
import { type Action, allows, rules } from '../../flows/access/rules.ts';
import { type L10n, type Lang, t } from '../../kernel/l10n.ts';
import { type AuditEntry, audit } from '../pipeline/audit.ts';
import type { ConsoleEnv } from './context.ts';
import { bare, type PageUser } from './layout.ts';
import type { ConsoleUser } from './sessions.ts';

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
const notForRole: L10n = {
  zh: '您的角色不能执行此操作。此次访问已记录。',
  en: 'Your role may not do this. The attempt was recorded.',
};

/** A 403 page saying why, with a way back. */
export const refusalPage = (lang: Lang, title: L10n, message: L10n, back = '/console') =>
  bare({
    title,
    lang,
    body: html`<p>${message.zh}</p><p lang="en">${message.en}</p><p><a href="${back}">${t(lang, { zh: '返回', en: 'Back' })}</a></p>`,
  });

/**
 * Lets through those the access rules allow to take this action; refuses anyone else with 403
 * and records the attempt. Every route of the console names its action through this.
 */
export function gate(deps: { db: Db; now: () => Date }, action: Action): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const user = c.get('user');
    if (allows(user.actor, action)) return next();
    const forAdmins = rules[action].who === 'admins';
    await audit(deps.db, {
      at: deps.now(),
      ...actorOf(user),
      action: forAdmins ? 'console.admin_refused' : 'console.role_refused',
      subjectType: 'console',
      subjectId: c.req.path.slice(0, 100),
      detail: { action },
    });
    const title = forAdmins ? { zh: '仅限管理员', en: 'Admins only' } : { zh: '没有权限', en: 'Not allowed' };
    return c.html(refusalPage(user.language, title, forAdmins ? adminsOnly : notForRole), 403);
  };
}

/** Refuses one thing this user may not touch (403, bilingual) and records the attempt. */
export async function refuseThing(
  deps: { db: Db; now: () => Date },
  c: Context<ConsoleEnv>,
  refusal: {
    action: string;
    subjectType: string;
    subjectId: string;
    title: L10n;
    message: L10n;
    back: string;
  },
) {
  const user = c.get('user');
  await audit(deps.db, {
    at: deps.now(),
    ...actorOf(user),
    action: refusal.action,
    subjectType: refusal.subjectType,
    subjectId: refusal.subjectId,
  });
  return c.html(refusalPage(user.language, refusal.title, refusal.message, refusal.back), 403);
}
