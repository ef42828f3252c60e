/**
 * What the console's 人员与单位 section says, in both languages: its texts, the roles' names and
 * a unit's full path in the reader's language.
 */
import type { Role } from '../../../flows/engine/roles.ts';
import type { L10n, Lang } from '../../../kernel/l10n.ts';
import type { OrgUnit } from './directory.ts';

export const text = {
  title: { zh: '人员与单位', en: 'People & units' },
  units: { zh: '单位', en: 'Org units' },
  roster: { zh: '花名册导入导出', en: 'Roster import and export' },
  search: { zh: '搜索（姓名或成员号）', en: 'Search (name or member number)' },
  role: { zh: '角色', en: 'Role' },
  any: { zh: '全部', en: 'All' },
  filter: { zh: '筛选', en: 'Filter' },
  csv: { zh: '导出 CSV', en: 'Export CSV' },
  memberNo: { zh: '成员号', en: 'Member no.' },
  name: { zh: '姓名', en: 'Name' },
  unit: { zh: '所属单位', en: 'Unit' },
  handles: { zh: '负责单位', en: 'Handles' },
  noUnit: { zh: '（无）', en: '(none)' },
  total: (n: number) => ({ zh: `共 ${n} 人`, en: `${n} in all` }),
  none: { zh: '没有符合条件的人员。', en: 'Nobody matches.' },
  edit: { zh: '修改', en: 'Change' },
  save: { zh: '保存', en: 'Save' },
  saved: { zh: '已保存。', en: 'Saved.' },
  handlesHint: {
    zh: '只有工会干部和管理员可以负责单位（含下级单位）。',
    en: 'Only officers and admins handle units (and the units below them).',
  },
  back: { zh: '返回人员列表', en: 'Back to people' },
  noPerson: { zh: '找不到该人员。', en: 'No such person.' },
  badRole: { zh: '请选择有效的角色，没有修改。', en: 'Choose a valid role; nothing was changed.' },
  badUnit: { zh: '所选单位不存在，没有修改。', en: 'A chosen unit does not exist; nothing was changed.' },
  notOfficer: {
    zh: '只有工会干部和管理员才能负责单位，没有修改。',
    en: 'Only officers and admins can handle units; nothing was changed.',
  },
  ownRole: {
    zh: '不能修改自己的角色，没有修改。',
    en: 'You cannot change your own role; nothing was changed.',
  },
  nameZh: { zh: '中文名称', en: 'Chinese name' },
  nameEn: { zh: '英文名称', en: 'English name' },
  parent: { zh: '上级单位', en: 'Parent unit' },
  create: { zh: '新建单位', en: 'New unit' },
  rename: { zh: '改名', en: 'Rename' },
  created: { zh: '单位已建立。', en: 'The unit was created.' },
  renamed: { zh: '单位已改名。', en: 'The unit was renamed.' },
  badUnitName: {
    zh: '单位名称必填，最多 60 字，没有修改。',
    en: 'A unit needs a name of at most 60 characters; nothing was changed.',
  },
  noParent: { zh: '上级单位不存在，没有修改。', en: 'The parent unit does not exist; nothing was changed.' },
  noSuchUnit: { zh: '找不到该单位，没有修改。', en: 'No such unit; nothing was changed.' },
  badName: {
    zh: '姓名必填，最多 50 字，没有修改。',
    en: 'A name of at most 50 characters is needed; nothing was changed.',
  },
  employeeNo: { zh: '工号', en: 'Employee no.' },
  notOnRoster: { zh: '（不在花名册）', en: '(not on the roster)' },
  memberSince: { zh: '入会日期', en: 'Member since' },
  verified: { zh: '身份', en: 'Identity' },
  isVerified: { zh: '已核实', en: 'Verified' },
  unverified: { zh: '未核实', en: 'Not verified' },
  channels: { zh: '已绑定渠道', en: 'Linked channels' },
  noChannel: { zh: '尚未绑定', en: 'None yet' },
  phone: { zh: '手机', en: 'Phone' },
  showPhone: { zh: '查看（记入审计）', en: 'Show (audited)' },
  invitations: { zh: '打印邀请', en: 'Invitations to print' },
  previous: { zh: '上一页', en: 'Previous' },
  next: { zh: '下一页', en: 'Next' },
} satisfies Record<string, L10n | ((n: number) => L10n)>;

export const roleLabels: Record<Role, L10n> = {
  staff: { zh: '职工', en: 'Staff' },
  delegate: { zh: '职工代表', en: 'Delegate' },
  officer: { zh: '工会干部', en: 'Officer' },
  admin: { zh: '管理员', en: 'Admin' },
};

export const unitLabel = (u: Pick<OrgUnit, 'pathZh' | 'pathEn'>, lang: Lang) =>
  lang === 'zh' ? u.pathZh : u.pathEn;
