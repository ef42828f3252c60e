/** What the people commands (language, 我的信息, roles) ask of the server. */
import type { L10n, Lang } from '../../kernel/l10n.ts';
import type { Role } from '../engine/roles.ts';

/** Who a person is in the directory. */
export interface PersonProfile {
  memberNo: number;
  displayName: string;
  role: Role;
  unit: L10n | null;
}

export type AssignOutcome =
  | { ok: true; person: PersonProfile }
  | { ok: false; reason: 'no_person' | 'no_unit' | 'own_role' | 'not_officer' }
  /** More than one unit has that name: these are the candidates. */
  | { ok: false; reason: 'ambiguous_unit'; units: L10n[] };

export interface PeopleEffects {
  'person.language': { effect: { language: Lang }; result: { language: Lang } };
  'person.profile': { effect: Record<never, never>; result: { profile: PersonProfile } };
  /** An admin sets someone's role and/or unit (an officer also handles that unit). */
  'person.assign': {
    effect: { memberNo: number; role: Role | null; unitName: string | null };
    result: AssignOutcome;
  };
}
