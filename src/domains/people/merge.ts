/**
 * Joining two people into one (绑定): everything of the one bound (`from`, for example a web chat
 * visitor) moves to the person it is bound to (`into`, for example a roster entry): channel
 * accounts, conversations (and the files a form in one holds), items signed and anonymous, co-signatures, news opt-outs, handled
 * units, an open poll's vote; the better-known name, the higher role, the unit, the phone and the
 * 工号 are kept; then `from` is deleted. Two roster entries (two 工号) are never joined. Nothing
 * here names an anonymous item's author to anyone: its sealed author and tag are re-made for the
 * person it now belongs to, as filing it would have made them. The merge is audited.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import {
  channelIdentities,
  consoleLinks,
  consoleSessions,
  conversations,
  motionCosigners,
  type NameSource,
  newsOptOuts,
  officerUnits,
  type PersonRow,
  people,
  pollPostings,
  pollSecrets,
  pollVotes,
  submissionEvents,
  submissions,
} from '../../../db/schema/index.ts';
import { type Role, roles } from '../../../flows/engine/roles.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { tokenSigner } from '../../kernel/crypto/voter-token.ts';
import { type AuditEntry, audit } from '../../pipeline/audit.ts';
import { type Author, authorColumns, authorOf, authorTags } from '../items/authors.ts';
import { moveLooseFiles } from '../items/files.ts';
import { followRightsChange } from './rights-change.ts';

/** How the binding that asked for the merge was proved. */
export type BindingWay = 'invite' | 'code' | 'directory';

export type MergeResult =
  | { ok: true; person: PersonRow; moved: { identities: number; items: number } }
  | { ok: false; reason: 'two_roster_entries' | 'missing' };

const nameRank: Record<NameSource, number> = { generated: 0, channel: 1, self: 2, directory: 3, roster: 4 };
const higherRole = (a: Role, b: Role): Role => (roles.indexOf(a) >= roles.indexOf(b) ? a : b);

/** What the joined person keeps of the two. */
function joined(from: PersonRow, into: PersonRow, now: Date, way: BindingWay) {
  const fromName = nameRank[from.nameSource] > nameRank[into.nameSource];
  return {
    displayName: fromName ? from.displayName : into.displayName,
    nameSource: fromName ? from.nameSource : into.nameSource,
    role: higherRole(from.role, into.role),
    orgUnitId: into.orgUnitId ?? from.orgUnitId,
    employeeNo: into.employeeNo ?? from.employeeNo,
    phone: into.phone ?? from.phone,
    memberSince: into.memberSince ?? from.memberSince,
    // A roster entry nobody has used yet takes the language its person chose.
    language: into.employeeNo && !from.employeeNo ? from.language : into.language,
    // Proved by an invitation from the roster, a code from a bound account or the directory.
    verifiedAt: into.verifiedAt ?? from.verifiedAt ?? (way === 'code' && !into.employeeNo ? null : now),
    updatedAt: now,
  };
}

/** Anonymous items of `from`: found by its tags, re-sealed and re-tagged for `into`. */
async function moveAnonymousItems(tx: Db, keys: KeyRing, fromId: string, intoId: string): Promise<number> {
  const rows = await tx
    .select()
    .from(submissions)
    .where(inArray(submissions.authorTag, await authorTags(keys, fromId)));
  for (const row of rows) {
    const author = await authorOf(keys, row);
    if (!author) continue;
    const moved: Author = { ...author, personId: intoId };
    const columns = await authorColumns(keys, moved, true);
    // Written again apart from this transaction (launderAnonymousItems), as a filing is: nothing
    // left at rest ties the re-tagged row to the merge that names the person.
    await tx
      .update(submissions)
      .set({ authorSeal: columns.authorSeal, authorTag: columns.authorTag, launderDue: true })
      .where(eq(submissions.id, row.id));
  }
  return rows.length;
}

/**
 * An open poll's vote of `from` becomes the vote of `into` (one vote a person); where both voted,
 * the vote of `into` stands. Every vote of such a poll is rewritten in the one statement, so the
 * merge's transaction touches them all alike and singles none out. A closed poll's secret is gone:
 * its votes are no one's.
 */
async function moveVotes(tx: Db, keys: KeyRing, fromId: string, intoId: string): Promise<void> {
  const open = await tx.select().from(pollSecrets);
  for (const poll of open) {
    const sign = await tokenSigner(await keys.open(poll.secret));
    const [fromToken, intoToken] = [await sign(fromId), await sign(intoId)];
    const both = await tx
      .select({ token: pollVotes.token })
      .from(pollVotes)
      .where(and(eq(pollVotes.pollId, poll.pollId), inArray(pollVotes.token, [fromToken, intoToken])));
    if (!both.some((v) => v.token === fromToken)) continue;
    if (both.some((v) => v.token === intoToken)) {
      await tx
        .delete(pollVotes)
        .where(and(eq(pollVotes.pollId, poll.pollId), eq(pollVotes.token, fromToken)));
    }
    await tx.execute(sql`update poll_votes set token = case when token = ${fromToken} then ${intoToken} else token end
      where poll_id = ${poll.pollId}`);
  }
}

/** Rows keyed by person and something else: those `into` already has are dropped, the rest move. */
async function moveKeyed(tx: Db, fromId: string, intoId: string): Promise<void> {
  await tx.execute(sql`delete from motion_cosigners f using motion_cosigners i
    where f.person_id = ${fromId} and i.person_id = ${intoId} and i.submission_id = f.submission_id`);
  await tx.update(motionCosigners).set({ personId: intoId }).where(eq(motionCosigners.personId, fromId));
  await tx.execute(sql`delete from news_opt_outs f using news_opt_outs i
    where f.person_id = ${fromId} and i.person_id = ${intoId} and i.topic = f.topic`);
  await tx.update(newsOptOuts).set({ personId: intoId }).where(eq(newsOptOuts.personId, fromId));
  await tx.execute(sql`delete from officer_units f using officer_units i
    where f.person_id = ${fromId} and i.person_id = ${intoId} and i.org_unit_id = f.org_unit_id`);
  await tx.update(officerUnits).set({ personId: intoId }).where(eq(officerUnits.personId, fromId));
  await tx.execute(sql`delete from news_recipients f using news_recipients i
    where f.recipient = ${fromId} and i.recipient = ${intoId} and i.news_id = f.news_id`);
  await tx.execute(sql`update news_recipients set recipient = ${intoId} where recipient = ${fromId}`);
}

/**
 * Writes what the joined person keeps; rights that came with the merge are followed up as any
 * change of role is (sessions end, the person is told).
 */
async function keepJoined(
  tx: Db,
  keys: KeyRing,
  merge: {
    from: PersonRow;
    into: PersonRow;
    way: BindingWay;
    actor: Pick<AuditEntry, 'actorType' | 'actorId'>;
    now: Date;
  },
): Promise<PersonRow> {
  const { from, into, now } = merge;
  const [person] = await tx
    .update(people)
    .set(joined(from, into, now, merge.way))
    .where(eq(people.id, into.id))
    .returning();
  if (person!.role !== into.role) {
    await followRightsChange(tx, {
      personId: into.id,
      role: { from: into.role, to: person!.role },
      actor: merge.actor,
      now,
      keyRing: keys,
    });
  }
  return person!;
}

/** Joins `from` into `into` in the caller's transaction; refused for two roster entries. */
export async function mergePeople(
  tx: Db,
  keys: KeyRing,
  merge: {
    fromId: string;
    intoId: string;
    way: BindingWay;
    actor: Pick<AuditEntry, 'actorType' | 'actorId'>;
    now: Date;
  },
): Promise<MergeResult> {
  const { fromId, intoId, now } = merge;
  // Both rows locked, in one order, so two merges of the same pair cannot deadlock.
  const locked = await tx
    .select()
    .from(people)
    .where(inArray(people.id, [fromId, intoId]))
    .orderBy(people.id)
    .for('update');
  const from = locked.find((p) => p.id === fromId);
  const into = locked.find((p) => p.id === intoId);
  if (!from || !into || fromId === intoId) return { ok: false, reason: 'missing' };
  if (from.employeeNo && into.employeeNo) return { ok: false, reason: 'two_roster_entries' };
  const identities = await tx
    .update(channelIdentities)
    .set({ personId: intoId })
    .where(eq(channelIdentities.personId, fromId))
    .returning({ id: channelIdentities.id });
  await tx.update(conversations).set({ personId: intoId }).where(eq(conversations.personId, fromId));
  const signed = await tx
    .update(submissions)
    .set({ personId: intoId })
    .where(eq(submissions.personId, fromId))
    .returning({ id: submissions.id });
  const anonymous = await moveAnonymousItems(tx, keys, fromId, intoId);
  // Photos sent for a form still being filled in go with the conversation that holds them.
  await moveLooseFiles(tx, keys, fromId, intoId);
  await tx
    .update(submissionEvents)
    .set({ actorId: intoId })
    .where(
      and(inArray(submissionEvents.actorType, ['person', 'officer']), eq(submissionEvents.actorId, fromId)),
    );
  await moveKeyed(tx, fromId, intoId);
  await moveVotes(tx, keys, fromId, intoId);
  await tx.update(pollPostings).set({ personId: intoId }).where(eq(pollPostings.personId, fromId));
  await tx.execute(sql`update polls set created_by = ${intoId} where created_by = ${fromId}`);
  await tx.execute(sql`update news_items set created_by = ${intoId} where created_by = ${fromId}`);
  await tx.delete(consoleLinks).where(eq(consoleLinks.personId, fromId));
  await tx
    .update(consoleSessions)
    .set({ personId: intoId, endedAt: now })
    .where(eq(consoleSessions.personId, fromId));
  await tx.execute(sql`update binding_codes set person_id = ${intoId} where person_id = ${fromId}`);
  await tx.delete(people).where(eq(people.id, fromId));
  const person = await keepJoined(tx, keys, { from, into, ...merge });
  const moved = { identities: identities.length, items: signed.length + anonymous };
  // Signed items only: how many anonymous ones moved would say who wrote them.
  await audit(tx, {
    at: now,
    ...merge.actor,
    action: 'person.merge',
    subjectType: 'person',
    subjectId: String(into.memberNo),
    detail: {
      from: from.memberNo,
      way: merge.way,
      identities: identities.length,
      signedItems: signed.length,
      ...(person.role !== into.role ? { role: person.role } : {}),
    },
  });
  return { ok: true, person, moved };
}
