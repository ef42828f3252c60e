/** An admin's 角色/单位 command from chat: the unit is found by name, then the directory is changed. */
import type { Db } from '../../../db/handle.ts';
import { allows } from '../../../flows/access/rules.ts';
import type { AssignOutcome } from '../../../flows/commands/people-effects.ts';
import type { Effect } from '../../../flows/effects.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { assignPerson, findUnitsByName, profileOf, publicProfile } from '../people/directory.ts';

export async function assignFromChat(
  tx: Db,
  scope: { personId: string; now: Date; keyRing: KeyRing },
  effect: Extract<Effect, { type: 'person.assign' }>,
): Promise<AssignOutcome> {
  let unitId: string | undefined;
  if (effect.unitName) {
    const units = await findUnitsByName(tx, effect.unitName);
    if (units.length === 0) return { ok: false, reason: 'no_unit' };
    if (units.length > 1) {
      return {
        ok: false,
        reason: 'ambiguous_unit',
        units: units.map((u) => ({ zh: u.nameZh, en: u.nameEn })),
      };
    }
    unitId = units[0]!.id;
  }
  const handles = effect.role !== null && allows(effect.role, 'item.move');
  const result = await assignPerson(tx, {
    memberNo: effect.memberNo,
    ...(effect.role ? { role: effect.role } : {}),
    ...(unitId ? { unitId } : {}),
    // An officer named with a unit handles that unit; the unit command alone leaves what they handle.
    ...(handles && unitId ? { officerUnitIds: [unitId] } : {}),
    actor: { actorType: 'person', actorId: scope.personId },
    now: scope.now,
    keyRing: scope.keyRing,
  });
  if (!result.ok) return result;
  const profile = await profileOf(tx, { personId: result.personId });
  return { ok: true, person: publicProfile(profile!) };
}
