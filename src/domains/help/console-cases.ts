/**
 * The help cases a console user may see: the list scoped as the access rules say (all for admins,
 * an officer's own units'; a case of no unit is the admins' alone), and one case opened only
 * through the audited read (`viewCase`), with its sealed timeline notes.
 */
import { and, asc, desc, eq, inArray, ne, type SQL, sql } from 'drizzle-orm';
import { orgUnits, submissionEvents, submissions } from '../../../db/schema/index.ts';
import { itemScope } from '../../../flows/access/rules.ts';
import type { ConsoleDeps } from '../../console/context.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { viewCase } from '../items/cases.ts';

/** Which units' cases this user sees, as the access rules say: all for admins, an officer's own units'. */
function scope(user: ConsoleUser): SQL | undefined {
  const items = itemScope(user.actor);
  if (items.all) return undefined;
  return items.units.length > 0 ? inArray(submissions.orgUnitId, [...items.units]) : sql`false`;
}

/** The cases this user sees, open 紧急 ones first, then oldest first, and whether there are more past `limit`. */
export async function listCases(
  deps: ConsoleDeps,
  user: ConsoleUser,
  show: 'open' | 'all',
  limit: number,
  offset: number,
) {
  const where = and(
    eq(submissions.kind, 'help_request'),
    show === 'open' ? ne(submissions.status, 'closed') : undefined,
    scope(user),
  );
  const rows = await deps.db
    .select({ s: submissions, unitZh: orgUnits.nameZh, unitEn: orgUnits.nameEn })
    .from(submissions)
    .leftJoin(orgUnits, eq(orgUnits.id, submissions.orgUnitId))
    .where(where)
    .orderBy(
      desc(sql`(${submissions.details}->>'urgency' = 'very_urgent' and ${submissions.status} <> 'closed')`),
      asc(submissions.createdAt),
    )
    .limit(limit + 1)
    .offset(offset);
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}

/** The sealed timeline notes of a case already read through the audited path. */
async function timelineOf(deps: ConsoleDeps, submissionId: string) {
  const events = await deps.db
    .select()
    .from(submissionEvents)
    .where(eq(submissionEvents.submissionId, submissionId))
    .orderBy(asc(submissionEvents.id));
  return Promise.all(
    events.map(async (e) => ({
      at: e.at,
      type: e.type,
      toStatus: e.toStatus,
      note: e.note && deps.keys.isSealed(e.note) ? await deps.keys.open(e.note) : e.note,
    })),
  );
}

/** The case opened for this user (an audited read), or why not. */
export async function openCase(deps: ConsoleDeps, user: ConsoleUser, ref: string) {
  const [row] = await deps.db
    .select({ s: submissions, unitZh: orgUnits.nameZh, unitEn: orgUnits.nameEn })
    .from(submissions)
    .leftJoin(orgUnits, eq(orgUnits.id, submissions.orgUnitId))
    .where(and(eq(submissions.referenceCode, ref), eq(submissions.kind, 'help_request')));
  if (!row) return 'not_found' as const;
  // viewCase asks the access rules, audits a refusal (help_request.read_refused) and the read.
  const viewed = await viewCase(deps.db, ref, {
    actor: user.actor,
    keyRing: deps.keys,
    now: deps.now(),
    timeZone: deps.timeZone,
    kindRules: deps.kindRules,
  });
  if (!viewed.ok) return viewed.reason === 'not_yours' ? ('not_yours' as const) : ('not_found' as const);
  return {
    row,
    details: viewed.item.details,
    proposer: viewed.item.proposer,
    nextStatuses: viewed.item.nextStatuses,
    timeline: await timelineOf(deps, row.s.id),
  };
}
