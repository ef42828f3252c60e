/**
 * The facts about who acts that the access rules (flows/access/rules.ts) decide on: a person's
 * role and the units they handle with every unit below, and how each actor appears in the audit
 * log. The rules are pure; the lookups are here.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import type { Actor, PersonActor } from '../../../flows/access/rules.ts';
import type { Role } from '../../../flows/engine/roles.ts';
import type { AuditEntry } from '../../pipeline/audit.ts';
import { unitsBelow } from './directory.ts';

/** The units a person is bound to handle (officer_units) and every unit below them. */
export const handledUnits = (db: Db, personId: string): Promise<string[]> =>
  unitsBelow(db, sql`select org_unit_id from officer_units where person_id = ${personId}`);

/** A person with a known role as the rules see them; officers' handled units are looked up. */
export async function actorWithRole(db: Db, personId: string, role: Role): Promise<PersonActor> {
  // Admins handle everything; only an officer's units bound what they may touch.
  const handles = role === 'officer' ? await handledUnits(db, personId) : [];
  return { kind: 'person', id: personId, role, handles };
}

export const tokenActor: Actor = { kind: 'token' };

/** The audit log's "who" for an actor. */
export function auditActor(actor: Actor): Pick<AuditEntry, 'actorType' | 'actorId'> {
  if (actor.kind === 'token') return { actorType: 'admin_token', actorId: null };
  return {
    actorType: actor.role === 'officer' || actor.role === 'admin' ? 'officer' : 'person',
    actorId: actor.id,
  };
}
