/**
 * 飞书通讯录同步 in 人员与单位 (admins only): when the last syncs ran and what they did or why
 * they failed, and a button that asks for one now (the directory job runs it within a minute).
 */
import type { Context } from 'hono';
import { html } from 'hono/html';
import { formatTime, type Lang, t } from '../../../kernel/l10n.ts';
import { actorOf, csrfField } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { audit } from '../../pipeline/audit.ts';
import { recentSyncs, requestDirectorySync } from './directory-sync.ts';

const text = {
  title: { zh: '飞书通讯录同步', en: 'Lark directory sync' },
  hint: {
    zh: '部门同步为单位，人员按工号对应花名册并绑定其飞书账号（视为已核实）。每天自动同步一次。',
    en: 'Departments become units; people are matched to the roster by employee number and their Lark accounts bound (verified). It runs by itself once a day.',
  },
  now: { zh: '立即同步', en: 'Sync now' },
  failed: { zh: '读取通讯录失败（飞书的原话）：', en: 'The directory could not be read (as Lark said): ' },
  never: { zh: '尚未同步过。', en: 'Not synced yet.' },
  asked: { zh: '已请求同步，一分钟内开始。', en: 'A sync was asked for; it starts within a minute.' },
  waiting: { zh: '已有一次同步在等待或进行中。', en: 'A sync is already waiting or running.' },
  status: {
    pending: { zh: '等待中', en: 'waiting' },
    running: { zh: '进行中', en: 'running' },
    done: { zh: '完成', en: 'done' },
    failed: { zh: '失败', en: 'failed' },
  },
};

export async function directoryCard(deps: ConsoleDeps, user: ConsoleUser, asked?: string) {
  if (!deps.directories || deps.directories.length === 0) return html``;
  const lang: Lang = user.language;
  const syncs = await recentSyncs(deps.db, 3);
  const line = (s: (typeof syncs)[number]) => {
    const r = s.result;
    const what = r
      ? lang === 'zh'
        ? `新建单位 ${r.unitsCreated}，更新单位 ${r.unitsUpdated}，新增人员 ${r.peopleCreated}，更新人员 ${r.peopleUpdated}，绑定 ${r.bound}，冲突 ${r.conflicts}`
        : `units created ${r.unitsCreated}, updated ${r.unitsUpdated}; people added ${r.peopleCreated}, updated ${r.peopleUpdated}; bound ${r.bound}; conflicts ${r.conflicts}`
      : s.error
        ? `${t(lang, text.failed)}${s.error}`
        : '';
    return html`<li data-sync="${s.status}">${formatTime(s.createdAt, deps.timeZone)} · ${t(lang, text.status[s.status])}${what ? html` · ${what}` : ''}</li>`;
  };
  return html`<section class="card" data-directory><h2>${t(lang, text.title)}</h2><p class="muted">${t(lang, text.hint)}</p>
${asked === 'asked' ? html`<p role="status">${t(lang, text.asked)}</p>` : asked === 'waiting' ? html`<p role="status">${t(lang, text.waiting)}</p>` : ''}
${syncs.length === 0 ? html`<p>${t(lang, text.never)}</p>` : html`<ul>${syncs.map(line)}</ul>`}
<form method="post" action="/console/people/directory-sync">${csrfField(user)}<button type="submit">${t(lang, text.now)}</button></form></section>`;
}

/** Asks for a sync now and goes back to the list, saying whether one was asked for. */
export async function askSync(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const user = c.get('user');
  const now = deps.now();
  const asked = await requestDirectorySync(deps.db, `console:${user.person?.id ?? 'admin_token'}`, now);
  if (asked)
    await audit(deps.db, {
      at: now,
      ...actorOf(user),
      action: 'directory.sync_asked',
      subjectType: 'directory',
      subjectId: 'all',
    });
  return c.redirect(`/console/people?sync=${asked ? 'asked' : 'waiting'}`, 303);
}
