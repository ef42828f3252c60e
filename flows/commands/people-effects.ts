/** What the people commands (language, 我的信息, roles) ask of the server. */
import type { L10n, Lang } from '../../kernel/l10n.ts';
import type { Role } from '../engine/roles.ts';

/** Who a person is in the directory. */
export interface PersonProfile {
  memberNo: number;
  displayName: string;
  role: Role;
  unit: L10n | null;
  /** Bound to the roster or an enterprise directory, or vouched for by an admin (not 未核实). */
  verified: boolean;
  /** 工号, when the roster lists the person. */
  employeeNo: string | null;
}

export type BindOutcome =
  | { ok: true; profile: PersonProfile; merged: boolean }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'two_roster_entries' | 'wrong_way' };

export type AssignOutcome =
  | { ok: true; person: PersonProfile }
  | { ok: false; reason: 'no_person' | 'no_unit' | 'own_role' | 'not_officer' }
  /** More than one unit has that name: these are the candidates. */
  | { ok: false; reason: 'ambiguous_unit'; units: L10n[] };

export interface PeopleEffects {
  'person.language': { effect: { language: Lang }; result: { language: Lang } };
  'person.profile': { effect: Record<never, never>; result: { profile: PersonProfile } };
  /** Binds this account to the person a binding code names (an invitation or a one-time code). */
  'person.bind': { effect: { code: string }; result: BindOutcome };
  /** A one-time code to bind another channel to this person. */
  'person.bind_code': { effect: Record<never, never>; result: { code: string; minutes: number } };
  /** The name the person gives (您怎么称呼); a name from the roster or the directory stays. */
  'person.name': { effect: { name: string }; result: { ok: boolean; name: string } };
  /** An admin sets someone's role and/or unit (an officer also handles that unit). */
  'person.assign': {
    effect: { memberNo: number; role: Role | null; unitName: string | null };
    result: AssignOutcome;
  };
}
