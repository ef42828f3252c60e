/**
 * Officers handling items from chat: reading one (within the units they handle; a help request's
 * read is audited) and moving it on with a reply that reaches the person where they filed it.
 */

import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { people, submissions } from '../../../db/schema/index.ts';
import type { Actor } from '../../../flows/access/rules.ts';
import type { CaseOutcome, CaseView } from '../../../flows/commands/item-effects.ts';
import { type ItemStatus, isItemKind, lifecycles, nextStatuses } from '../../../flows/lifecycles.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { audit } from '../../pipeline/audit.ts';
import { auditActor } from '../people/actors.ts';
import { personVerifiedSql } from '../people/audience.ts';
import { itemAccess } from './access.ts';
import type { KindRules } from './kind-rules.ts';
import { openHelpDetails } from './sealed-details.ts';
import { changeStatus } from './store.ts';

export interface OfficerScope {
  /** Who reads or acts; the access rules decide whether they may. */
  actor: Actor;
  keyRing: KeyRing;
  now: Date;
  timeZone: string;
  /** What each kind adds to a move beyond its lifecycle (src/domains/items/kind-rules.ts). */
  kindRules: KindRules;
}

export async function findCase(
  tx: Db,
  referenceCode: string,
  officer: OfficerScope,
  action: 'item.read' | 'item.move',
) {
  const access = await itemAccess(tx, officer.actor, action, referenceCode);
  if (!access.ok) {
    if (access.reason === 'not_found') return { ok: false, reason: 'not_found' } as const;
    // A refused attempt on a help request is recorded: it touches sensitive data.
    if (access.item.kind === 'help_request') {
      await audit(tx, {
        at: officer.now,
        ...auditActor(officer.actor),
        action: 'help_request.read_refused',
        subjectType: 'submission',
        subjectId: access.item.referenceCode,
      });
    }
    return { ok: false, reason: 'not_yours' } as const;
  }
  const [row] = await tx
    .select({ submission: submissions, proposer: people.displayName, proposerVerified: personVerifiedSql })
    .from(submissions)
    // An anonymous item has no author row: it is found all the same, and names nobody.
    .leftJoin(people, eq(people.id, submissions.personId))
    .where(eq(submissions.id, access.item.id));
  if (!row) return { ok: false, reason: 'not_found' } as const;
  return { ok: true, row } as const;
}

export async function viewCase(tx: Db, referenceCode: string, officer: OfficerScope): Promise<CaseOutcome> {
  const found = await findCase(tx, referenceCode, officer, 'item.read');
  if (!found.ok) return found;
  const { submission, proposer, proposerVerified } = found.row;
  const details =
    submission.kind === 'help_request'
      ? await openHelpDetails(tx, submission, {
          keyRing: officer.keyRing,
          ...auditActor(officer.actor),
          now: officer.now,
        })
      : submission.details;
  const item: CaseView = {
    kind: submission.kind,
    referenceCode: submission.referenceCode,
    title: submission.title,
    category: submission.category,
    status: submission.status,
    nextStatuses: [...nextStatuses(submission.kind, submission.status)],
    proposer: submission.anonymous ? null : proposer,
    proposerVerified: submission.anonymous ? null : proposerVerified === true,
    details: { ...details },
    createdAt: submission.createdAt.toISOString(),
  };
  return { ok: true, item };
}

/**
 * The status named at the start of `said` (its id, or its name in either language; the longest
 * name wins, so 未采纳 is not read as 采纳…) and the reply after it.
 */
export function splitStatus(kind: string, said: string): { status: ItemStatus; reply: string } | null {
  if (!isItemKind(kind)) return null;
  const lifecycle = lifecycles[kind];
  const text = said.trim();
  const lowered = text.toLowerCase();
  const names = lifecycle.statuses
    .flatMap((status) =>
      [status, lifecycle.labels[status]?.zh ?? '', (lifecycle.labels[status]?.en ?? '').toLowerCase()].map(
        (name) => ({ status, name }),
      ),
    )
    .filter((n) => n.name !== '')
    .sort((a, b) => b.name.length - a.name.length);
  for (const { status, name } of names) {
    if (!lowered.startsWith(name)) continue;
    const rest = text.slice(name.length);
    // A Latin name must end at a word boundary; a Chinese one may run into the reply.
    if (/^[a-z_]/.test(name) && rest !== '' && !/^\s/.test(rest)) continue;
    return { status, reply: rest.trim() };
  }
  return null;
}

/** Who a status change is recorded as. */
export const changeActor = (actor: Actor): { type: 'officer' | 'admin_token'; id: string | null } =>
  actor.kind === 'token' ? { type: 'admin_token', id: null } : { type: 'officer', id: actor.id };

export async function moveCase(
  tx: Db,
  change: { referenceCode: string; said: string },
  officer: OfficerScope,
): Promise<CaseOutcome> {
  const found = await findCase(tx, change.referenceCode, officer, 'item.move');
  if (!found.ok) return found;
  const { kind, status } = found.row.submission;
  const named = splitStatus(kind, change.said);
  if (!named)
    return { ok: false, reason: 'not_allowed', kind, from: status, allowed: [...nextStatuses(kind, status)] };
  // A motion's answer starts with its grade: "办理 TA-… 已答复 B 已列入明年计划".
  const graded =
    kind === 'motion' && named.status === 'answered'
      ? /^([ABCDabcd])(?:\s+|$)(.*)$/s.exec(named.reply)
      : null;
  const result = await changeStatus(tx, {
    referenceCode: change.referenceCode,
    to: named.status,
    reply: graded ? graded[2]!.trim() : named.reply,
    ...(graded ? { grade: graded[1]!.toUpperCase() as 'A' | 'B' | 'C' | 'D' } : {}),
    kindRules: officer.kindRules,
    actor: changeActor(officer.actor),
    now: officer.now,
    timeZone: officer.timeZone,
    keyRing: officer.keyRing,
  });
  if (!result.ok) {
    if (result.reason === 'not_allowed') return { ...result, allowed: [...result.allowed] };
    return { ok: false, reason: result.reason };
  }
  return viewCase(tx, change.referenceCode, officer);
}
