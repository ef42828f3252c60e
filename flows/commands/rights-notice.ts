/**
 * The message a person gets when an admin changes their role, their unit or the units they handle
 * (or a roster import does): what changed, and what they can now do.
 */
import type { Outbound } from '../../bots/core/messenger.ts';
import { type L10n, type Lang, t } from '../../kernel/l10n.ts';
import { allows } from '../access/rules.ts';
import { type Role, roleLabels } from '../engine/roles.ts';

export interface RightsChange {
  role?: { from: Role; to: Role };
  /** The new unit's name (null: no unit any more). */
  unit?: L10n | null;
  /** The units handled now (an officer or admin). */
  handles?: L10n[];
}

const text = {
  title: { zh: '您的身份有变化', en: 'Your place in the union has changed' },
  role: { zh: '角色', en: 'Role' },
  unit: { zh: '所属单位', en: 'Unit' },
  handles: { zh: '负责单位', en: 'Handles' },
  none: { zh: '（无）', en: '(none)' },
  console: {
    zh: '您现在可以处理事项：收到新事项会通知您；发送“后台”获取工会干部后台的登录链接，或在聊天中发送“查看 编号”“办理 编号 状态 答复”。',
    en: 'You can now handle items: you are told of new ones; send "console" for a sign-in link to the officers\' console, or "view <ref>" and "handle <ref> <status> <reply>" here.',
  },
  admin: {
    zh: '您现在是管理员：可以在后台管理人员与单位、日程和投票，并查看所有单位的事项。',
    en: "You are now an admin: in the console you manage people and units, schedules and polls, and see every unit's items.",
  },
  delegate: {
    zh: '您现在是职工代表：可以发送“提案”提交职代会提案，并附议其他代表的提案。',
    en: 'You are now a delegate: send "motion" to file a congress motion, and co-sign other delegates\' motions.',
  },
  lost: {
    zh: '您不再处理事项，工会干部后台的登录已结束。您提交的事项不受影响。',
    en: 'You no longer handle items, and your console sign-in has ended. Your own items are not affected.',
  },
  unitMoved: {
    zh: '您署名提交、尚未受理的事项转到新单位办理。',
    en: 'Your signed items not yet taken up go to the new unit.',
  },
};

/** What the change lets the person do, said once. */
function whatNow(change: RightsChange): L10n | null {
  const role = change.role;
  if (!role || role.from === role.to) return change.unit !== undefined ? text.unitMoved : null;
  if (role.to === 'admin') return text.admin;
  if (allows(role.to, 'item.move')) return text.console;
  if (allows(role.from, 'item.move')) return text.lost;
  if (role.to === 'delegate') return text.delegate;
  return null;
}

export function rightsChangedNotice(change: RightsChange, lang: Lang): Outbound {
  const fields = [
    ...(change.role && change.role.from !== change.role.to
      ? [
          {
            label: t(lang, text.role),
            value: `${t(lang, roleLabels[change.role.from])} → ${t(lang, roleLabels[change.role.to])}`,
          },
        ]
      : []),
    ...(change.unit !== undefined
      ? [{ label: t(lang, text.unit), value: change.unit ? t(lang, change.unit) : t(lang, text.none) }]
      : []),
    ...(change.handles
      ? [
          {
            label: t(lang, text.handles),
            value:
              change.handles.length > 0
                ? change.handles.map((u) => t(lang, u)).join(lang === 'zh' ? '、' : ', ')
                : t(lang, text.none),
          },
        ]
      : []),
  ];
  const now = whatNow(change);
  return {
    type: 'summary',
    tone: 'info',
    title: t(lang, text.title),
    fields,
    ...(now ? { text: t(lang, now) } : {}),
  };
}
