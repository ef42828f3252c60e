/**
 * 绑定: one person in every channel. "绑定 ABCD-EFGH-JKMN" binds the account the person writes
 * from to the code's person (an invitation from the union's roster, or a code from a channel
 * already bound); "绑定码" gives a one-time code for another channel; "绑定" alone says how.
 * "我叫 张三" (or 称呼 张三) tells the bot the person's name, unless the roster already gives one.
 */

import type { Outbound } from '../../bots/core/messenger.ts';
import { type L10n, t } from '../../kernel/l10n.ts';
import { normalizeText } from '../../kernel/text.ts';
import { encodeAction } from '../engine/actions.ts';
import type { CommandDef, FlowContext } from '../engine/types.ts';
import { finish, finishWith } from '../engine/types.ts';
import type { BindOutcome } from './people-effects.ts';

export const bindingText = {
  bindTitle: { zh: '绑定身份', en: 'Link your account' },
  howTo: {
    zh: '绑定后，您在网页、飞书、微信提交的事项都归到同一个人名下，换手机或浏览器也能找回。\n方法一：打开工会发给您的邀请链接，或发送“绑定 邀请码”（如“绑定 ABCD-EFGH-JKMN”）。\n方法二：在已绑定的渠道（如飞书）发送“绑定码”，再在这里发送“绑定 收到的码”。',
    en: 'Once linked, what you file on the web, in Lark or in WeChat is all yours in one place, even from a new phone or browser.\nEither open the invitation link the union gave you, or send "bind <code>" (e.g. "bind ABCD-EFGH-JKMN").\nOr send "binding code" in a channel already linked (such as Lark), then send "bind <that code>" here.',
  },
  getCode: { zh: '获取绑定码', en: 'Get a binding code' },
  bound: { zh: '绑定成功', en: 'Linked' },
  boundMerged: {
    zh: '这个账号已与您的身份合并，之前提交的事项都在“我的”里。',
    en: 'This account is now joined to you; everything you filed before is under "mine".',
  },
  boundSame: {
    zh: '这个账号已经是您的了，无需再绑定。',
    en: 'This account is already yours; nothing to do.',
  },
  refused: {
    unknown: {
      zh: '绑定码不对，请核对后重发（12 位字母和数字，如 ABCD-EFGH-JKMN）。',
      en: 'That binding code is not right; check it and send it again (12 letters and digits, e.g. ABCD-EFGH-JKMN).',
    },
    used: {
      zh: '这个绑定码已经用过了，每个码只能用一次。请向工会索取新的邀请，或在已绑定的渠道发送“绑定码”。',
      en: 'That code has been used; each code works once. Ask the union for a new invitation, or send "binding code" in a linked channel.',
    },
    expired: {
      zh: '这个绑定码已过期。请向工会索取新的邀请，或在已绑定的渠道重新发送“绑定码”。',
      en: 'That code has expired. Ask the union for a new invitation, or send "binding code" again in a linked channel.',
    },
    wrong_way: {
      zh: '不能这样绑定：请在这个已核实的账号里发送“绑定码”，再到要绑定的新渠道发送“绑定 码”。',
      en: 'Not this way round: send "binding code" from this verified account, then "bind <code>" in the new channel.',
    },
    two_roster_entries: {
      zh: '不能绑定：这个账号和邀请码分别属于花名册上的两个人。如有误，请联系工会管理员核对花名册。',
      en: 'Not linked: this account and the code belong to two different people on the roster. If that is wrong, ask a union admin to check the roster.',
    },
  } satisfies Record<Exclude<BindOutcome, { ok: true }>['reason'], L10n>,
  codeTitle: { zh: '绑定码', en: 'Binding code' },
  codeText: (code: string, minutes: number) => ({
    zh: `请在 ${minutes} 分钟内，在要绑定的渠道（网页、飞书或微信）发送：\n绑定 ${code}\n只能用一次，请勿告诉他人。`,
    en: `Within ${minutes} minutes, in the channel to link (web, Lark or WeChat), send:\nbind ${code}\nIt works once; do not share it.`,
  }),
  nameTitle: { zh: '称呼', en: 'Your name' },
  nameUsage: {
    zh: '请这样告诉我您的称呼：我叫 张三',
    en: 'Tell me your name like this: my name is Zhang San',
  },
  nameSet: (name: string) => ({
    zh: `好的，以后称呼您“${name}”。`,
    en: `Thank you; you are “${name}” from now on.`,
  }),
  nameKept: (name: string) => ({
    zh: `您的姓名以工会花名册为准（${name}）；如需更正，请联系工会管理员。`,
    en: `Your name comes from the union's roster (${name}); to correct it, ask a union admin.`,
  }),
};

const bindPattern =
  /^(?:绑定|bind)\s*[:：]?\s*([A-Za-z0-9０-９Ａ-Ｚａ-ｚ][A-Za-z0-9０-９Ａ-Ｚａ-ｚ\s\-–—_]{7,30})$/i;

function bound(outcome: BindOutcome, ctx: FlowContext) {
  if (!outcome.ok) return [{ type: 'text' as const, text: t(ctx.lang, bindingText.refused[outcome.reason]) }];
  const p = outcome.profile;
  return [
    {
      type: 'summary' as const,
      tone: 'success' as const,
      title: t(ctx.lang, bindingText.bound),
      fields: [
        { label: ctx.lang === 'zh' ? '姓名' : 'Name', value: p.displayName },
        ...(p.employeeNo
          ? [{ label: ctx.lang === 'zh' ? '工号' : 'Employee no.', value: p.employeeNo }]
          : []),
        { label: ctx.lang === 'zh' ? '成员号' : 'Member no.', value: String(p.memberNo) },
        ...(p.unit ? [{ label: ctx.lang === 'zh' ? '单位' : 'Unit', value: t(ctx.lang, p.unit) }] : []),
      ],
      text: t(ctx.lang, outcome.merged ? bindingText.boundMerged : bindingText.boundSame),
    },
  ];
}

export const bindCommand: CommandDef = {
  name: 'bind',
  title: bindingText.bindTitle,
  words: ['绑定', '绑定账号', '绑定身份', 'bind', 'link account'],
  listed: (ctx) => ctx.verified === false,
  matches: (said) => bindPattern.test(normalizeText(said)),
  run: (_ctx, said) => {
    const code = bindPattern.exec(normalizeText(said))?.[1];
    if (!code) {
      return finishWith((ctx) => [
        {
          type: 'text',
          text: t(ctx.lang, bindingText.howTo),
          actions: [
            {
              label: t(ctx.lang, bindingText.getCode),
              value: encodeAction({ k: 'cmd', c: 'bind_code', a: '绑定码' }),
            },
          ],
        },
      ]);
    }
    return finish({ type: 'person.bind', code }, (outcome, ctx) => bound(outcome, ctx));
  },
};

export const bindCodeCommand: CommandDef = {
  name: 'bind_code',
  title: bindingText.codeTitle,
  words: ['绑定码', '获取绑定码', 'binding code', 'bind code'],
  listed: () => false,
  run: () =>
    finish({ type: 'person.bind_code' }, ({ code, minutes }, ctx) => [
      {
        type: 'summary',
        title: t(ctx.lang, bindingText.codeTitle),
        fields: [],
        text: t(ctx.lang, bindingText.codeText(code, minutes)),
      },
    ]),
};

/** Only an unmistakable way of giving a name, and a name-like answer (no sentence is taken for one). */
const namePattern =
  /^(?:我叫|称呼|我的名字是|my name is|call me)\s*[:：]?\s*([^\s，。,.!！?？；;]{1,12}|[A-Za-z]+(?: [A-Za-z]+){0,3})$/i;

export const nameCommand: CommandDef = {
  name: 'name',
  title: bindingText.nameTitle,
  words: ['称呼', '我的称呼', 'my name'],
  listed: () => false,
  matches: (said) => namePattern.test(normalizeText(said)),
  run: (_ctx, said) => {
    const name = namePattern.exec(normalizeText(said))?.[1]?.trim();
    if (!name) return finishWith((ctx) => [{ type: 'text', text: t(ctx.lang, bindingText.nameUsage) }]);
    return finish({ type: 'person.name', name }, (result, ctx) => [
      {
        type: 'text',
        text: t(ctx.lang, result.ok ? bindingText.nameSet(result.name) : bindingText.nameKept(result.name)),
      },
    ]);
  },
};

const channelNames: Record<string, L10n> = {
  web: { zh: '网页', en: 'the web chat' },
  lark: { zh: '飞书', en: 'Lark' },
  wechat: { zh: '微信', en: 'WeChat' },
};

/** What the person's earlier account is told when another one is bound to them. */
export function newAccountNotice(channel: string, lang: 'zh' | 'en'): Outbound {
  const where = t(lang, channelNames[channel] ?? { zh: channel, en: channel });
  return {
    type: 'summary',
    tone: 'warning',
    title: lang === 'zh' ? '您的身份绑定了新的账号' : 'A new account was linked to you',
    fields: [{ label: lang === 'zh' ? '渠道' : 'Channel', value: where }],
    text:
      lang === 'zh'
        ? '您提交的事项现在也能在那里查看。如非本人操作，请立即联系工会管理员。'
        : 'Your items can now be seen there too. If this was not you, tell a union admin at once.',
  };
}
