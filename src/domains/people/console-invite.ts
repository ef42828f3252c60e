/**
 * Personal invitations (邀请绑定) in 人员与单位: a roster entry's link, code and QR code on their
 * page, made or made again by an admin; and a sheet to print for a unit, one invitation for each
 * person on its roster who has not bound an account yet; or sent to the admin's own chat with the
 * bot, written to be forwarded to the person. Opening the link binds the browser it is opened in;
 * typing "绑定 <code>" binds a Lark or WeChat account.
 */
import { and, asc, desc, eq, inArray, isNotNull, notExists, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { z } from 'zod';
import { channelIdentities, conversations, people } from '../../../db/schema/index.ts';
import { formatTime, type Lang, t } from '../../../kernel/l10n.ts';
import { actorOf, csrfField, pageUser } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { page } from '../../console/layout.ts';
import { audit } from '../../pipeline/audit.ts';
import { enqueue } from '../../pipeline/outbox.ts';
import { currentInvite, inviteDays, invitesFor, renewInvite, showCode } from './binding.ts';
import { listUnits, unitAndDescendants } from './directory.ts';

const text = {
  invite: { zh: '邀请绑定', en: 'Invitation to link' },
  inviteHint: {
    zh: `把链接或二维码发给本人（或打印），本人打开后点“绑定”即可；在飞书或微信里发送“绑定 邀请码”也可以。每个邀请只能用一次，${inviteDays} 天内有效。`,
    en: `Give the link or QR code to the person (or print it); they open it and press Link, or send "bind <code>" in Lark or WeChat. Each invitation works once, for ${inviteDays} days.`,
  },
  noInvite: { zh: '还没有有效的邀请。', en: 'No invitation is waiting.' },
  make: { zh: '生成邀请', en: 'Make an invitation' },
  remake: { zh: '重新生成（旧的作废）', en: 'Make a new one (the old one stops working)' },
  code: { zh: '邀请码', en: 'Code' },
  link: { zh: '链接', en: 'Link' },
  until: { zh: '有效期至', en: 'Valid until' },
  sheetTitle: { zh: '打印邀请', en: 'Invitations to print' },
  sheetHint: {
    zh: '列出所选单位（含下级）花名册上尚未绑定任何账号的人员及其邀请；先点“生成缺少的邀请”。',
    en: 'Everyone on the roster of the chosen unit (and those below) who has not linked an account yet, with their invitation; press “Make the missing invitations” first.',
  },
  unit: { zh: '单位', en: 'Unit' },
  all: { zh: '全部', en: 'All' },
  show: { zh: '显示', en: 'Show' },
  makeMissing: { zh: '生成缺少的邀请', en: 'Make the missing invitations' },
  print: { zh: '打印本页', en: 'Print this page' },
  nobody: { zh: '没有尚未绑定的人员。', en: 'Everyone here has linked an account.' },
  send: { zh: '发到我的聊天（转发给本人）', en: 'Send to my chat (to forward to them)' },
  sent: {
    zh: '邀请已发到您与同心的私聊，请转发给本人。',
    en: 'The invitation is in your private chat with Tongxin; forward it to them.',
  },
  noChat: {
    zh: '没有发送：您还没有在飞书、微信或网页里和同心私聊过。请先给同心发一条消息，或复制上面的链接。',
    en: 'Not sent: you have no private chat with Tongxin yet (Lark, WeChat or the web chat). Message it first, or copy the link above.',
  },
  scan: {
    zh: '微信或手机相机扫码，打开后点“绑定”',
    en: 'Scan with WeChat or a phone camera, then press Link',
  },
};

const inviteUrl = (publicUrl: string, code: string) =>
  `${publicUrl.replace(/\/$/, '')}/chat/bind?code=${showCode(code)}`;

async function qrOf(url: string): Promise<HtmlEscapedString> {
  const { toString: qrSvg } = await import('qrcode');
  return raw(await qrSvg(url, { type: 'svg', margin: 1, width: 160 })) as HtmlEscapedString;
}

/** One invitation as the page and the sheet show it. */
async function inviteCard(deps: ConsoleDeps, lang: Lang, invite: { code: string; expiresAt: Date }) {
  const url = inviteUrl(deps.publicUrl, invite.code);
  return html`<div class="invite" data-invite style="display:flex;gap:12px;align-items:center;flex-wrap:wrap">
  <div role="img" aria-label="${t(lang, text.scan)}" style="width:160px">${await qrOf(url)}</div>
  <div><div>${t(lang, text.code)}：<strong data-code>${showCode(invite.code)}</strong></div>
  <div style="word-break:break-all">${t(lang, text.link)}：<a href="${url}">${url}</a></div>
  <div class="muted">${t(lang, text.until)} ${formatTime(invite.expiresAt, deps.timeZone)}</div></div></div>`;
}

/** The invitation part of a roster entry's page (none for someone the roster does not list). */
export async function inviteSection(
  deps: ConsoleDeps,
  user: { language: Lang; csrf: string },
  person: { id: string; memberNo: number; employeeNo: string | null },
) {
  if (!person.employeeNo) return html``;
  const lang = user.language;
  const invite = await currentInvite(deps.db, deps.keys, person.id, deps.now());
  return html`<section class="card" id="invite"><h2>${t(lang, text.invite)}</h2><p class="muted">${t(lang, text.inviteHint)}</p>
${invite ? await inviteCard(deps, lang, invite) : html`<p>${t(lang, text.noInvite)}</p>`}
${invite ? html`<form method="post" action="/console/people/${person.memberNo}/invite/send" style="margin-bottom:8px"><input type="hidden" name="csrf" value="${user.csrf}"><button class="primary" type="submit">${t(lang, text.send)}</button></form>` : ''}
<form method="post" action="/console/people/${person.memberNo}/invite"><input type="hidden" name="csrf" value="${user.csrf}"><button type="submit"${invite ? '' : ' class="primary"'}>${t(lang, invite ? text.remake : text.make)}</button></form></section>`;
}

/** Makes a new invitation for the roster entry, then shows their page again (at its own address). */
export async function makeInvite(c: Context<ConsoleEnv, '/console/people/:no/invite'>, deps: ConsoleDeps) {
  const memberNo = Number(c.req.param('no'));
  const [person] = await deps.db
    .select({ id: people.id, employeeNo: people.employeeNo })
    .from(people)
    .where(eq(people.memberNo, memberNo));
  if (!person?.employeeNo) return c.redirect(`/console/people/${memberNo}`, 303);
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    await renewInvite(tx, deps.keys, person.id, now);
    await audit(tx, {
      at: now,
      ...actorOf(c.get('user')),
      action: 'person.invite',
      subjectType: 'person',
      subjectId: String(memberNo),
    });
  });
  return c.redirect(`/console/people/${memberNo}#invite`, 303);
}

const sheetQuery = z.object({ unit: z.uuid().optional().catch(undefined) });

/** Roster entries of the unit (and below) with no account bound yet. */
async function unbound(deps: ConsoleDeps, unitId: string | undefined) {
  const units = unitId ? await unitAndDescendants(deps.db, unitId) : null;
  return deps.db
    .select({ id: people.id, name: people.displayName, employeeNo: people.employeeNo })
    .from(people)
    .where(
      and(
        isNotNull(people.employeeNo),
        units ? (units.length > 0 ? inArray(people.orgUnitId, units) : sql`false`) : undefined,
        notExists(
          deps.db
            .select({ one: sql`1` })
            .from(channelIdentities)
            .where(sql`${channelIdentities.personId} = ${people.id}`),
        ),
      ),
    )
    .orderBy(asc(people.employeeNo))
    .limit(500);
}

export async function showSheet(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const user = c.get('user');
  const lang = user.language;
  const { unit } = sheetQuery.parse(c.req.query());
  const units = await listUnits(deps.db);
  const rows = await unbound(deps, unit);
  const now = deps.now();
  const cards = [];
  for (const row of rows) {
    const invite = await currentInvite(deps.db, deps.keys, row.id, now);
    cards.push(
      html`<div class="card" style="break-inside:avoid"><h3>${row.name} · ${row.employeeNo}</h3>${invite ? await inviteCard(deps, lang, invite) : html`<p class="muted">${t(lang, text.noInvite)}</p>`}</div>`,
    );
  }
  const body = html`<p><a href="/console/people">← ${t(lang, { zh: '返回人员列表', en: 'Back to people' })}</a></p>
<p class="muted">${t(lang, text.sheetHint)}</p>
<form class="filters" method="get" action="/console/people/invitations"><label>${t(lang, text.unit)}<select name="unit"><option value="">${t(lang, text.all)}</option>${units.map((u) => html`<option value="${u.id}" ${u.id === unit ? 'selected' : ''}>${lang === 'zh' ? u.pathZh : u.pathEn}</option>`)}</select></label><button type="submit">${t(lang, text.show)}</button></form>
<form method="post" action="/console/people/invitations${unit ? `?unit=${unit}` : ''}">${csrfField(user)}<button class="primary" type="submit">${t(lang, text.makeMissing)}</button></form>
${rows.length === 0 ? html`<p>${t(lang, text.nobody)}</p>` : cards}`;
  return c.html(page({ title: text.sheetTitle, user: pageUser(user), path: '/console/people', body }));
}

/** Makes an invitation for each unbound roster entry of the unit that has none, then shows the sheet. */
export async function makeSheet(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const { unit } = sheetQuery.parse(c.req.query());
  const rows = await unbound(deps, unit);
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    const made = await invitesFor(
      tx,
      deps.keys,
      rows.map((r) => r.id),
      now,
    );
    await audit(tx, {
      at: now,
      ...actorOf(c.get('user')),
      action: 'person.invite',
      subjectType: 'org_unit',
      subjectId: unit ?? 'all',
      detail: { people: made.size },
    });
  });
  return c.redirect(`/console/people/invitations${unit ? `?unit=${unit}` : ''}`, 303);
}

/** The notice on a person's page after sending their invitation (`?invite=sent|no_chat`). */
export function inviteNotice(value: string | undefined) {
  if (value === 'sent') return { ok: true, text: text.sent };
  if (value === 'no_chat') return { ok: false, text: text.noChat };
  return undefined;
}

/** The officer's latest private chat with the bot, where a message to forward is sent. */
async function ownChat(deps: ConsoleDeps, personId: string) {
  const [row] = await deps.db
    .select({ channel: conversations.channel, chatId: conversations.chatId })
    .from(conversations)
    .where(and(eq(conversations.personId, personId), eq(conversations.chatType, 'private')))
    .orderBy(desc(conversations.updatedAt))
    .limit(1);
  return row ?? null;
}

/**
 * Sends the person's current invitation to the officer's own private chat with the bot, written
 * to be forwarded as it is (to the person's WeChat, say). Audited; the code is not in the audit.
 */
export async function sendInvite(
  c: Context<ConsoleEnv, '/console/people/:no/invite/send'>,
  deps: ConsoleDeps,
) {
  const user = c.get('user');
  const memberNo = Number(c.req.param('no'));
  const back = (result: string) => c.redirect(`/console/people/${memberNo}?invite=${result}#invite`, 303);
  const [person] = await deps.db
    .select({ id: people.id, name: people.displayName })
    .from(people)
    .where(eq(people.memberNo, memberNo));
  const now = deps.now();
  const invite = person ? await currentInvite(deps.db, deps.keys, person.id, now) : null;
  if (!person || !invite) return c.redirect(`/console/people/${memberNo}#invite`, 303);
  const chat = user.person ? await ownChat(deps, user.person.id) : null;
  if (!chat) return back('no_chat');
  const url = inviteUrl(deps.publicUrl, invite.code);
  const until = formatTime(invite.expiresAt, deps.timeZone);
  const message = {
    type: 'text' as const,
    text:
      `${person.name}，您好！工会邀请您绑定“同心”工会助手，绑定后在网页、飞书、微信里都能查到自己的事项。\n` +
      `打开链接并点“绑定”：${url}\n或在飞书、微信里发送：绑定 ${showCode(invite.code)}\n（${until} 前有效，只能使用一次）\n\n` +
      `Hello ${person.name}, the union invites you to link the Tongxin union assistant, so your items follow you on the web, Lark and WeChat.\n` +
      `Open the link and press Link: ${url}\nOr send in Lark or WeChat: bind ${showCode(invite.code)}\n(valid until ${until}, once)`,
  };
  await deps.db.transaction(async (tx) => {
    await enqueue(tx, deps.keys, [{ channel: chat.channel, chatId: chat.chatId, message }]);
    await audit(tx, {
      at: now,
      ...actorOf(user),
      action: 'person.invite_sent',
      subjectType: 'person',
      subjectId: String(memberNo),
    });
  });
  deps.wake.outbox();
  return back('sent');
}
