/**
 * The console's page shell: a header with the sections, the language switch and sign-out, and
 * the page's content. Every string goes through hono/html, which escapes what it interpolates.
 * Scripts come from this server only (the page's content-security policy allows nothing else).
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { type Action, allows } from '../../flows/access/rules.ts';
import { type L10n, type Lang, t } from '../../kernel/l10n.ts';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The header's sections, each shown to those the access rules let open it. */
export const nav: { path: string; label: L10n; action: Action }[] = [
  { path: '/console', label: { zh: '概览', en: 'Dashboard' }, action: 'console.enter' },
  { path: '/console/items', label: { zh: '建议与提案', en: 'Suggestions & motions' }, action: 'item.list' },
  { path: '/console/polls', label: { zh: '投票', en: 'Polls' }, action: 'poll.list' },
  { path: '/console/news', label: { zh: '动态', en: 'News' }, action: 'news.list' },
  { path: '/console/help', label: { zh: '帮扶求助', en: 'Help cases' }, action: 'item.list' },
  { path: '/console/schedules', label: { zh: '定时任务', en: 'Schedules' }, action: 'schedule.list' },
  { path: '/console/people', label: { zh: '人员与单位', en: 'People & units' }, action: 'people.list' },
  {
    path: '/console/congress',
    label: { zh: '职代会届次', en: 'Congress sessions' },
    action: 'congress.manage',
  },
  { path: '/console/wechat', label: { zh: '微信登录', en: 'WeChat login' }, action: 'wechat.login' },
  { path: '/console/audit', label: { zh: '审计日志', en: 'Audit log' }, action: 'audit.read' },
];

const style = `
:root { --brand:#b3261e; --ink:#1f2328; --muted:#5b6470; --line:#d0d7de; --bg:#f6f8fa; --card:#fff; --ok:#1a7f37; --warn:#9a6700; }
* { box-sizing:border-box; }
body { margin:0; font:16px/1.6 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif; color:var(--ink); background:var(--bg); }
a { color:#0b62c4; } a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline:3px solid #0b62c4; outline-offset:2px; }
header { background:var(--brand); color:#fff; display:flex; flex-wrap:wrap; align-items:center; gap:8px 16px; padding:8px 16px; }
header .brand { font-weight:700; margin-right:8px; }
header nav a { color:#fff; text-decoration:none; padding:4px 8px; border-radius:6px; }
header nav a[aria-current="page"] { background:rgba(255,255,255,.2); }
header form { display:inline; margin:0; }
header .right { margin-left:auto; display:flex; gap:8px; align-items:center; font-size:14px; }
header button { background:transparent; color:#fff; border:1px solid rgba(255,255,255,.7); border-radius:6px; padding:2px 10px; font:inherit; cursor:pointer; }
main { max-width:1100px; margin:0 auto; padding:16px; }
h1 { font-size:22px; margin:4px 0 16px; } h2 { font-size:18px; margin:0 0 8px; }
.cards { display:grid; grid-template-columns:repeat(auto-fit,minmax(240px,1fr)); gap:12px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px 16px; }
.figure { font-size:30px; font-weight:700; } .muted { color:var(--muted); font-size:14px; }
.urgent { color:#b42318; }
table { width:100%; border-collapse:collapse; background:var(--card); }
th, td { text-align:left; padding:8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:14px; color:var(--muted); }
form.filters { display:flex; flex-wrap:wrap; gap:8px; align-items:end; margin-bottom:12px; }
label { display:flex; flex-direction:column; font-size:14px; color:var(--muted); gap:2px; }
input, select, textarea { font:inherit; padding:6px 8px; border:1px solid var(--line); border-radius:6px; background:#fff; color:var(--ink); }
button.primary { background:var(--brand); color:#fff; border:0; border-radius:6px; padding:8px 16px; font:inherit; cursor:pointer; }
.notice { padding:10px 12px; border-radius:8px; margin-bottom:12px; }
.notice.ok { background:#dafbe1; color:#0f5323; } .notice.bad { background:#ffebe9; color:#82071e; }
.timeline { list-style:none; padding:0; } .timeline li { border-left:3px solid var(--line); padding:4px 12px; margin-bottom:6px; }
.chart { position:relative; height:260px; }
figure { margin:0; }
.sr { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); }
@media (max-width:640px) { main { padding:10px; } th:nth-child(n+4), td:nth-child(n+4) { display:none; } }
`;

export interface PageUser {
  name: string;
  csrf: string;
  lang: Lang;
  /** Officers are not shown the admins' sections. */
  role?: 'officer' | 'admin';
}

export function page(opts: {
  title: L10n;
  user: PageUser;
  path: string;
  body: Html;
  scripts?: string[];
}): Html {
  const { user } = opts;
  const other = user.lang === 'zh' ? 'en' : 'zh';
  return html`<!doctype html>
<html lang="${user.lang === 'zh' ? 'zh-CN' : 'en'}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${t(user.lang, opts.title)} · 同心后台</title><style>${raw(style)}</style></head>
<body>
<header>
  <span class="brand">同心 · ${t(user.lang, { zh: '工会干部后台', en: 'Officers’ console' })}</span>
  <nav aria-label="${t(user.lang, { zh: '栏目', en: 'Sections' })}">
    ${nav
      .filter((item) => allows(user.role ?? 'officer', item.action))
      .map(
        (item) =>
          html`<a href="${item.path}" ${opts.path === item.path ? raw('aria-current="page"') : ''}>${t(user.lang, item.label)}</a>`,
      )}
  </nav>
  <div class="right">
    <span>${user.name}</span>
    <form method="post" action="/console/lang"><input type="hidden" name="csrf" value="${user.csrf}"><input type="hidden" name="lang" value="${other}"><input type="hidden" name="back" value="${opts.path}"><button type="submit" lang="${other === 'zh' ? 'zh-CN' : 'en'}">${other === 'zh' ? '中文' : 'English'}</button></form>
    <form method="post" action="/console/signout"><input type="hidden" name="csrf" value="${user.csrf}"><button type="submit">${t(user.lang, { zh: '退出', en: 'Sign out' })}</button></form>
  </div>
</header>
<main id="main">
<h1>${t(user.lang, opts.title)}</h1>
${opts.body}
</main>
${(opts.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</body></html>`;
}

/** A page outside a session (sign-in, refusals): no header links. */
export function bare(opts: { title: L10n; lang: Lang; body: Html }): Html {
  return html`<!doctype html>
<html lang="${opts.lang === 'zh' ? 'zh-CN' : 'en'}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${opts.title.zh} ${opts.title.en} · 同心后台</title><style>${raw(style)}</style></head>
<body><header><span class="brand">同心 · 工会干部后台 Officers’ console</span></header>
<main id="main"><h1>${opts.title.zh} <span lang="en">${opts.title.en}</span></h1>${opts.body}</main></body></html>`;
}
