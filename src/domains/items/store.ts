/** Suggestions and their timelines: filing, the person's own list, and officers' reads and status changes. */

import { and, count, desc, eq, ilike, inArray, isNotNull, or, type SQL, sql } from 'drizzle-orm';
import type { ChannelName } from '../../../bots/core/messenger.ts';
import type { Db } from '../../../db/handle.ts';
import {
  orgUnits,
  people,
  type SubmissionRow,
  submissionEvents,
  submissions,
} from '../../../db/schema/index.ts';
import type { ItemDetail, MineItem } from '../../../flows/commands/item-effects.ts';
import { checkMove, type ItemStatus, nextStatuses } from '../../../flows/lifecycles.ts';
import type { Grade } from '../../../flows/motion/lifecycle.ts';
import type { SuggestionDraft } from '../../../flows/suggestion/draft.ts';
import type { SuggestionStatus } from '../../../flows/suggestion/lifecycle.ts';
import { yearIn } from '../../../kernel/l10n.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { audit } from '../../pipeline/audit.ts';
import { personVerifiedSql } from '../people/audience.ts';
import { authorColumns, authoredBy, authorTime } from './authors.ts';
import { fileOntoItem } from './files.ts';
import { recordFiling } from './filing.ts';
import type { KindMoveCheck, KindRules } from './kind-rules.ts';
import { containsPattern } from './like.ts';
import { officerView } from './officer-view.ts';
import { nextReferenceCode, referencePrefixes } from './reference-codes.ts';
import { openHelpDetails } from './sealed-details.ts';
import { notifyStatusChange } from './status-notice.ts';

export interface FilingContext {
  personId: string;
  channel: ChannelName;
  chatId: string;
  now: Date;
  timeZone: string;
  keyRing: KeyRing;
}

/**
 * Files a suggestion. An anonymous one names nobody at rest: its author is sealed, its times are
 * kept to the minute, and its rows are written again in a transaction of their own (launderDue), so
 * no row shares a transaction id with this one's writes about the person.
 */
export async function createSuggestion(tx: Db, draft: SuggestionDraft, at: FilingContext) {
  const referenceCode = await nextReferenceCode(
    tx,
    referencePrefixes.suggestion,
    yearIn(at.now, at.timeZone),
  );
  const status: SuggestionStatus = 'submitted';
  const anonymous = draft.anonymous;
  const when = authorTime(at.now, anonymous);
  const [row] = await tx
    .insert(submissions)
    .values({
      kind: 'suggestion',
      referenceCode,
      ...(await authorColumns(
        at.keyRing,
        { personId: at.personId, channel: at.channel, chatId: at.chatId },
        anonymous,
      )),
      status,
      title: draft.title,
      category: draft.category,
      details: { description: draft.description, benefit: draft.benefit },
      anonymous,
      launderDue: anonymous,
      // Routed to the unit the person belongs to when they file it.
      orgUnitId: sql`(select ${people.orgUnitId} from ${people} where ${people.id} = ${at.personId})`,
      createdAt: when,
      updatedAt: when,
    })
    .returning();
  const files = await fileOntoItem(tx, at.keyRing, {
    ids: draft.files ?? [],
    personId: at.personId,
    submissionId: row!.id,
    anonymous,
  });
  await recordFiling(tx, row!, at.keyRing, {
    now: when,
    category: draft.category,
    detail: { category: draft.category, anonymous },
  });
  // The author's own receipt shows when they filed it.
  return { referenceCode, status, createdAt: at.now.toISOString(), files: files.length };
}

export async function listMine(
  tx: Db,
  keys: KeyRing,
  personId: string,
  limit: number,
): Promise<{ items: MineItem[]; total: number }> {
  const mine = await authoredBy(keys, personId);
  const rows = await tx
    .select({
      referenceCode: submissions.referenceCode,
      kind: submissions.kind,
      title: submissions.title,
      status: submissions.status,
      updatedAt: submissions.updatedAt,
    })
    .from(submissions)
    .where(mine)
    .orderBy(desc(submissions.updatedAt), desc(submissions.createdAt))
    .limit(limit);
  const [total] = await tx.select({ n: count() }).from(submissions).where(mine);
  return { items: rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() })), total: total?.n ?? 0 };
}

/** One of the person's own items with the officers' latest reply; null for anyone else's. */
export async function getMine(
  tx: Db,
  personId: string,
  referenceCode: string,
  keyRing: KeyRing,
): Promise<ItemDetail | null> {
  const [row] = await tx
    .select()
    .from(submissions)
    .where(and(eq(submissions.referenceCode, referenceCode), await authoredBy(keyRing, personId)));
  if (!row) return null;
  const [reply] = await tx
    .select({ note: submissionEvents.note })
    .from(submissionEvents)
    .where(and(eq(submissionEvents.submissionId, row.id), isNotNull(submissionEvents.note)))
    .orderBy(desc(submissionEvents.id))
    .limit(1);
  return {
    referenceCode: row.referenceCode,
    kind: row.kind,
    title: row.title,
    status: row.status,
    category: row.category,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    // A reply to a help request is sealed; its owner reads it in clear.
    lastReply:
      reply?.note && keyRing.isSealed(reply.note) ? await keyRing.open(reply.note) : (reply?.note ?? null),
  };
}

export interface SubmissionFilter {
  status?: ItemStatus;
  kind?: string;
  q?: string;
  /** Any of these kinds (with `kind`, both must hold). */
  kinds?: readonly string[];
  /** Only items of these units (an item of no unit is in none: it is the admins'). */
  unitIds?: readonly string[];
  limit: number;
  offset: number;
}

/** The WHERE of an officers' list (and its CSV export): status, kind, unit subtree and words. */
function submissionWhere(filter: Omit<SubmissionFilter, 'limit' | 'offset'>): SQL | undefined {
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(submissions.status, filter.status));
  if (filter.kind) conditions.push(eq(submissions.kind, filter.kind as SubmissionRow['kind']));
  if (filter.kinds) conditions.push(inArray(submissions.kind, [...filter.kinds] as SubmissionRow['kind'][]));
  if (filter.unitIds) {
    conditions.push(
      filter.unitIds.length > 0 ? inArray(submissions.orgUnitId, [...filter.unitIds]) : sql`false`,
    );
  }
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    conditions.push(
      or(
        ilike(submissions.title, pattern),
        ilike(submissions.referenceCode, pattern),
        sql`${submissions.details}->>'description' ILIKE ${pattern}`,
      )!,
    );
  }
  return conditions.length > 0 ? and(...conditions) : undefined;
}

export async function listSubmissions(db: Db, filter: SubmissionFilter) {
  const where = submissionWhere(filter);
  const rows = await db
    .select({ submission: submissions, proposer: people.displayName, proposerVerified: personVerifiedSql })
    .from(submissions)
    .leftJoin(people, eq(people.id, submissions.personId))
    .where(where)
    .orderBy(desc(submissions.createdAt))
    .limit(filter.limit)
    .offset(filter.offset);
  const [total] = await db.select({ n: count() }).from(submissions).where(where);
  return {
    items: rows.map((r) => officerView(r.submission, r.proposer, r.proposerVerified)),
    total: total?.n ?? 0,
  };
}

/** Who reads a case, for opening a help request's sealed parts (and recording that they did). */
export interface CaseReader {
  keyRing: KeyRing;
  actorType: 'officer' | 'admin_token';
  actorId: string | null;
  now: Date;
}

export async function getSubmission(db: Db, referenceCode: string, reader?: CaseReader) {
  const [row] = await db
    .select({ submission: submissions, proposer: people.displayName, proposerVerified: personVerifiedSql })
    .from(submissions)
    .leftJoin(people, eq(people.id, submissions.personId))
    .where(eq(submissions.referenceCode, referenceCode));
  if (!row) return null;
  const events = await db
    .select()
    .from(submissionEvents)
    .where(eq(submissionEvents.submissionId, row.submission.id))
    .orderBy(submissionEvents.id);
  const view = officerView(row.submission, row.proposer, row.proposerVerified);
  const sealed = row.submission.kind === 'help_request';
  const opened = sealed && reader ? await openHelpDetails(db, row.submission, reader) : null;
  const note = async (value: string | null) =>
    value && sealed ? (reader?.keyRing.isSealed(value) ? reader.keyRing.open(value) : null) : value;
  return {
    ...view,
    ...(opened ? { details: opened } : {}),
    timeline: await Promise.all(
      events.map(async (e) => ({
        at: e.at.toISOString(),
        type: e.type,
        actorType: e.actorType,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        note: await note(e.note),
      })),
    ),
  };
}

export type StatusChangeResult =
  | { ok: true }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'not_allowed'; kind: string; from: string; allowed: readonly string[] }
  | { ok: false; reason: 'reply_required'; kind: string }
  | { ok: false; reason: 'not_cosigned' | 'grade_required' | 'send_back_closed' };

export interface StatusChangeRequest {
  referenceCode: string;
  to: ItemStatus;
  reply: string;
  actor: { type: 'officer' | 'admin_token'; id: string | null };
  now: Date;
  timeZone: string;
  /** Seals what is written about a help request. */
  keyRing: KeyRing;
  /** Motions: the answer's grade and the department it is assigned to. */
  grade?: Grade;
  department?: string;
  /** What each kind adds to a move beyond its lifecycle (a motion's co-signers, deadline, grade). */
  kindRules: KindRules;
}

/** A move's extra columns once it may be made, or the result that refuses it. */
type MoveCheck = Extract<KindMoveCheck, { ok: true }> | { ok: false; refused: StatusChangeResult };

/** Checks a move against the kind's lifecycle, then the kind's own rule (which may write, as a motion's conversion does). */
async function checkStatusChange(
  tx: Db,
  submission: SubmissionRow,
  request: StatusChangeRequest,
): Promise<MoveCheck> {
  const from = submission.status;
  const kind = submission.kind;
  const check = checkMove(kind, from, request.to, request.reply);
  if (!check.ok) {
    const refused =
      check.reason === 'reply_required'
        ? ({ ok: false, reason: 'reply_required', kind } as const)
        : ({ ok: false, reason: 'not_allowed', kind, from, allowed: nextStatuses(kind, from) } as const);
    return { ok: false, refused };
  }
  const rule = request.kindRules[kind];
  const extra = rule
    ? await rule(tx, submission, {
        to: request.to,
        now: request.now,
        timeZone: request.timeZone,
        ...(request.grade ? { grade: request.grade } : {}),
        ...(request.department ? { department: request.department } : {}),
      })
    : ({ ok: true, set: {} } as const);
  return extra.ok ? extra : { ok: false, refused: { ok: false, reason: extra.reason } };
}

/** Writes the move: the item's new status, its timeline event (a help request's reply sealed), the audit. */
async function recordStatusChange(
  tx: Db,
  submission: SubmissionRow,
  request: StatusChangeRequest,
  set: Extract<KindMoveCheck, { ok: true }>['set'],
): Promise<void> {
  const from = submission.status;
  const sensitive = submission.kind === 'help_request';
  await tx
    .update(submissions)
    .set({
      status: request.to,
      updatedAt: request.now,
      ...(request.to === 'closed' ? { closedAt: request.now } : {}),
      ...set,
    })
    .where(eq(submissions.id, submission.id));
  await tx.insert(submissionEvents).values({
    submissionId: submission.id,
    at: request.now,
    actorType: request.actor.type,
    actorId: request.actor.id,
    type: 'status_changed',
    fromStatus: from,
    toStatus: request.to,
    note: request.reply ? (sensitive ? await request.keyRing.seal(request.reply) : request.reply) : null,
  });
  await audit(tx, {
    at: request.now,
    actorType: request.actor.type,
    actorId: request.actor.id,
    action: 'submission.status',
    subjectType: 'submission',
    subjectId: submission.referenceCode,
    detail: { from, to: request.to, replied: request.reply !== '' },
  });
}

/**
 * Moves an item one allowed step of its kind's lifecycle, records it, and tells the person where
 * they filed it. On a help request the reply is kept sealed on the timeline.
 */
export async function changeStatus(db: Db, request: StatusChangeRequest): Promise<StatusChangeResult> {
  return db.transaction(async (tx) => {
    const [submission] = await tx
      .select()
      .from(submissions)
      .where(eq(submissions.referenceCode, request.referenceCode))
      .for('update');
    if (!submission) return { ok: false, reason: 'not_found' } as const;
    const checked = await checkStatusChange(tx, submission, request);
    if (!checked.ok) return checked.refused;
    await recordStatusChange(tx, submission, request, checked.set);
    const change = {
      kind: submission.kind,
      referenceCode: submission.referenceCode,
      title: submission.title,
      from: submission.status,
      to: request.to,
      reply: request.reply,
      at: request.now,
      ...(request.grade && request.to === 'answered' ? { grade: request.grade } : {}),
    };
    await notifyStatusChange(tx, request.keyRing, submission, change, request.timeZone);
    return { ok: true } as const;
  });
}

/** Rows for a CSV export: every matching item with its proposer and unit, newest first. */
export async function exportSubmissions(
  db: Db,
  filter: Omit<SubmissionFilter, 'limit' | 'offset'>,
  max = 50_000,
) {
  return db
    .select({
      submission: submissions,
      proposer: people.displayName,
      proposerVerified: personVerifiedSql,
      unitZh: orgUnits.nameZh,
    })
    .from(submissions)
    .leftJoin(people, eq(people.id, submissions.personId))
    .leftJoin(orgUnits, eq(orgUnits.id, submissions.orgUnitId))
    .where(submissionWhere(filter))
    .orderBy(desc(submissions.createdAt))
    .limit(max);
}
