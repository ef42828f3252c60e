/** The roles a person may have, and their names as people read and type them. */
import type { L10n } from '../../kernel/l10n.ts';
import { normalizeText } from '../../kernel/text.ts';

/** What a person may do: staff, delegate (职工代表), officer (工会干部) or admin. */
export const roles = ['staff', 'delegate', 'officer', 'admin'] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, L10n> = {
  staff: { zh: '职工', en: 'staff' },
  delegate: { zh: '职工代表', en: 'delegates' },
  officer: { zh: '工会干部', en: 'union officers' },
  admin: { zh: '管理员', en: 'admins' },
};

const roleWords: Record<Role, readonly string[]> = {
  staff: ['职工', '会员', '员工', 'staff', 'member'],
  delegate: ['职工代表', '代表', 'delegate'],
  officer: ['工会干部', '干部', 'officer'],
  admin: ['管理员', 'admin', 'administrator'],
};

/** The role a typed word names, or null. */
export function roleOf(word: string): Role | null {
  const said = normalizeText(word).toLowerCase();
  return roles.find((r) => roleWords[r].includes(said)) ?? null;
}
