/**
 * 我的信息/me: a person's member number, role and unit. 角色/role and 单位/unit (admins only):
 * set someone's role and unit by their member number, e.g. "角色 1024 干部 太平林场" or
 * "单位 1024 太平林场". An officer given a unit this way also handles that unit's items.
 */

import { type L10n, t } from '../../kernel/l10n.ts';
import { normalizeText } from '../../kernel/text.ts';
import { rolesFor } from '../access/rules.ts';
import type { Role } from '../engine/roles.ts';
import { roleLabels, roleOf } from '../engine/roles.ts';
import type { CommandDef, FlowContext } from '../engine/types.ts';
import { finish, finishWith } from '../engine/types.ts';
import type { AssignOutcome } from './people-effects.ts';

const text = {
  profileTitle: { zh: '我的信息', en: 'My profile' },
  memberNo: { zh: '成员号', en: 'Member no.' },
  name: { zh: '名称', en: 'Name' },
  role: { zh: '角色', en: 'Role' },
  unit: { zh: '单位', en: 'Unit' },
  noUnit: { zh: '未设置（请联系工会管理员）', en: 'not set (ask a union admin)' },
  profileFooter: {
    zh: '需要更改角色或单位时，请把成员号告诉工会管理员。',
    en: 'To change your role or unit, give your member number to a union admin.',
  },
  assignTitle: { zh: '设置角色和单位', en: 'Set role and unit' },
  usage: {
    zh: '用法：\n角色 成员号 角色 [单位]，如“角色 1024 干部 太平林场”\n单位 成员号 单位，如“单位 1024 太平林场”\n角色可为：职工、职工代表、工会干部、管理员。成员号可让对方发送“我的信息”查看。',
    en: 'Usage:\nrole <member no.> <role> [unit], e.g. "role 1024 officer Taiping"\nunit <member no.> <unit>, e.g. "unit 1024 Taiping"\nRoles: staff, delegate, officer, admin. People see their member number by sending "me".',
  },
  badRole: (word: string): L10n => ({
    zh: `不认识角色“${word}”。角色可为：职工、职工代表、工会干部、管理员。`,
    en: `"${word}" is not a role. Roles: staff, delegate, officer, admin.`,
  }),
  noPerson: (no: number): L10n => ({
    zh: `没有成员号为 ${no} 的人员。`,
    en: `Nobody has the member number ${no}.`,
  }),
  unknownUnit: { zh: '没有找到这个单位。', en: 'No unit has that name.' },
  ambiguous: (names: string): L10n => ({
    zh: `有多个单位符合，请写全名：${names}`,
    en: `Several units match; please give the full name: ${names}`,
  }),
  ownRole: {
    zh: '不能更改自己的角色，请另一位管理员操作。',
    en: 'You cannot change your own role; ask another admin.',
  },
  notOfficer: {
    zh: '只有工会干部和管理员才能负责单位，请先设置角色。',
    en: 'Only officers and admins handle units; set the role first.',
  },
  done: { zh: '已更新', en: 'Updated' },
};

function profileFields(
  profile: { memberNo: number; displayName: string; role: Role; unit: L10n | null },
  ctx: FlowContext,
) {
  return [
    { label: t(ctx.lang, text.memberNo), value: String(profile.memberNo) },
    { label: t(ctx.lang, text.name), value: profile.displayName },
    { label: t(ctx.lang, text.role), value: t(ctx.lang, roleLabels[profile.role]) },
    {
      label: t(ctx.lang, text.unit),
      value: profile.unit ? t(ctx.lang, profile.unit) : t(ctx.lang, text.noUnit),
    },
  ];
}

export const profileCommand: CommandDef = {
  name: 'profile',
  title: text.profileTitle,
  words: ['我的信息', '我是谁', '成员号', 'me', 'whoami', 'profile'],
  run: () =>
    finish({ type: 'person.profile' }, ({ profile }, ctx) => [
      {
        type: 'summary',
        title: t(ctx.lang, text.profileTitle),
        fields: profileFields(profile, ctx),
        text: t(ctx.lang, text.profileFooter),
      },
    ]),
};

const assignWords = ['角色', '单位', 'role', 'unit'];
const assignPattern = /^(角色|单位|role|unit)\s+(\d{1,12})(?:\s+(.+))?$/i;

/** What "角色 1024 干部 太平林场" or "单位 1024 太平林场" asks for; null when it is not that shape. */
export function parseAssignment(
  said: string,
): { memberNo: number; role: Role | null; unitName: string | null } | { badRole: string } | null {
  const match = assignPattern.exec(normalizeText(said));
  if (!match) return null;
  const [, verb, number, rest = ''] = match;
  const memberNo = Number(number);
  const words = rest.trim();
  if (verb === '单位' || verb!.toLowerCase() === 'unit') {
    return words === '' ? null : { memberNo, role: null, unitName: words };
  }
  const [roleWord = '', ...unitWords] = words.split(/\s+/);
  const role = roleOf(roleWord);
  if (!role) return { badRole: roleWord };
  return { memberNo, role, unitName: unitWords.length > 0 ? unitWords.join(' ') : null };
}

export const assignCommand: CommandDef = {
  name: 'assign',
  title: text.assignTitle,
  words: assignWords,
  roles: rolesFor('people.assign'),
  matches: (said) => assignPattern.test(normalizeText(said)),
  run: (_ctx, said) => {
    const parsed = parseAssignment(said);
    if (!parsed) return finishWith((ctx) => [{ type: 'text', text: t(ctx.lang, text.usage) }]);
    if ('badRole' in parsed) {
      return finishWith((ctx) => [{ type: 'text', text: t(ctx.lang, text.badRole(parsed.badRole)) }]);
    }
    return finish({ type: 'person.assign', ...parsed }, (outcome, ctx) => [
      assigned(outcome, parsed.memberNo, ctx),
    ]);
  },
};

function assigned(outcome: AssignOutcome, memberNo: number, ctx: FlowContext) {
  if (outcome.ok) {
    return {
      type: 'summary' as const,
      title: t(ctx.lang, text.done),
      tone: 'success' as const,
      fields: profileFields(outcome.person, ctx),
    };
  }
  const why =
    outcome.reason === 'ambiguous_unit'
      ? text.ambiguous(outcome.units.map((u) => t(ctx.lang, u)).join('、'))
      : {
          no_person: text.noPerson(memberNo),
          no_unit: text.unknownUnit,
          own_role: text.ownRole,
          not_officer: text.notOfficer,
        }[outcome.reason];
  return { type: 'text' as const, text: t(ctx.lang, why) };
}
