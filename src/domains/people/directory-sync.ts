/**
 * 通讯录同步: an enterprise directory (Lark's contacts) read into the roster. Its departments
 * become units (kept by their department id, renamed and re-parented as the directory says), its
 * people become people with their names, 工号, units and phones; each account is bound to the
 * person the directory says it is (by 工号 when the roster already lists them, merging whoever
 * used that account before), and counts as verified. A sync is asked for by the daily schedule or
 * by an admin, claimed by one instance, read outside any transaction and applied in one; a
 * directory that cannot be read (a scope missing) changes nothing and says why.
 */
import { and, asc, desc, eq, gte, isNotNull, like, lt, or } from 'drizzle-orm';
import type { Directory, DirectoryPerson, DirectoryUnit } from '../../../bots/core/directory.ts';
import type { Db } from '../../../db/handle.ts';
import {
  channelIdentities,
  type DirectorySyncResult,
  directorySyncs,
  orgUnits,
  type PersonRow,
  people,
} from '../../../db/schema/index.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import type { Ctx } from '../../kernel/ctx.ts';
import { errorFields } from '../../kernel/log.ts';
import { audit } from '../../pipeline/audit.ts';
import type { ScheduleHandler } from '../../pipeline/schedules/handler.ts';
import { launderAnonymousItems } from '../items/launder.ts';
import { mergePeople } from './merge.ts';
import { normalizePhone } from './roster-rows.ts';

/** Asks for a sync, unless one is already waiting or running; resolves to whether this asked. */
export async function requestDirectorySync(db: Db, requestedBy: string, now: Date): Promise<boolean> {
  const waiting = await db
    .select({ id: directorySyncs.id })
    .from(directorySyncs)
    .where(
      or(
        eq(directorySyncs.status, 'pending'),
        and(
          eq(directorySyncs.status, 'running'),
          gte(directorySyncs.startedAt, new Date(now.getTime() - staleMs)),
        ),
      ),
    )
    .limit(1);
  if (waiting.length > 0) return false;
  await db.insert(directorySyncs).values({ requestedBy, createdAt: now });
  return true;
}

/** The latest syncs, newest first, for the console. */
export const recentSyncs = (db: Db, limit = 5) =>
  db.select().from(directorySyncs).orderBy(desc(directorySyncs.id)).limit(limit);

/** A sync claimed this long ago and not finished died with its instance: it may be claimed again. */
const staleMs = 3_600_000;
const waitingOrStale = (now: Date) =>
  or(
    eq(directorySyncs.status, 'pending'),
    and(
      eq(directorySyncs.status, 'running'),
      lt(directorySyncs.startedAt, new Date(now.getTime() - staleMs)),
    ),
  );

async function applyUnits(
  tx: Db,
  channel: string,
  units: readonly DirectoryUnit[],
  result: DirectorySyncResult,
  now: Date,
) {
  const key = (k: string) => `${channel}:${k}`;
  const existing = new Map(
    (
      await tx
        .select()
        .from(orgUnits)
        .where(like(orgUnits.directoryKey, `${channel}:%`))
    ).map((u) => [u.directoryKey!, u]),
  );
  const idOf = new Map<string, string>();
  for (const unit of units) {
    const found = existing.get(key(unit.key));
    if (found) {
      if (found.nameZh !== unit.name) {
        await tx
          .update(orgUnits)
          .set({ nameZh: unit.name, nameEn: unit.name })
          .where(eq(orgUnits.id, found.id));
        result.unitsUpdated++;
      }
      idOf.set(unit.key, found.id);
    } else {
      const [row] = await tx
        .insert(orgUnits)
        .values({ nameZh: unit.name, nameEn: unit.name, directoryKey: key(unit.key), createdAt: now })
        .returning({ id: orgUnits.id });
      idOf.set(unit.key, row!.id);
      result.unitsCreated++;
    }
  }
  for (const unit of units) {
    const parentId = unit.parentKey ? (idOf.get(unit.parentKey) ?? null) : null;
    await tx
      .update(orgUnits)
      .set({ parentId })
      .where(eq(orgUnits.id, idOf.get(unit.key)!));
  }
  return idOf;
}

/** The person this directory entry is: by the account, and by 工号 on the roster. */
async function personFor(tx: Db, channel: string, entry: DirectoryPerson) {
  const [byAccount] = await tx
    .select({ person: people })
    .from(channelIdentities)
    .innerJoin(people, eq(people.id, channelIdentities.personId))
    .where(
      and(
        eq(channelIdentities.channel, channel as 'lark'),
        eq(channelIdentities.externalId, entry.externalId),
      ),
    );
  const [byNumber] = entry.employeeNo
    ? await tx.select().from(people).where(eq(people.employeeNo, entry.employeeNo))
    : [];
  return { byAccount: byAccount?.person, byNumber };
}

async function applyPerson(
  tx: Db,
  keys: KeyRing,
  directory: { channel: string; unitIds: Map<string, string> },
  entry: DirectoryPerson,
  result: DirectorySyncResult,
  now: Date,
) {
  const { byAccount, byNumber } = await personFor(tx, directory.channel, entry);
  let person: PersonRow | undefined = byNumber ?? byAccount;
  if (byNumber && byAccount && byNumber.id !== byAccount.id) {
    const merged = await mergePeople(tx, keys, {
      fromId: byAccount.id,
      intoId: byNumber.id,
      way: 'directory',
      actor: { actorType: 'system', actorId: null },
      now,
    });
    if (!merged.ok) {
      result.conflicts++;
      return;
    }
    person = merged.person;
    result.bound++;
  }
  const unitId = entry.unitKeys.map((k) => directory.unitIds.get(k)).find((id) => id !== undefined) ?? null;
  const phone = entry.mobile ? normalizePhone(entry.mobile) : null;
  if (!person) {
    const [created] = await tx
      .insert(people)
      .values({
        displayName: entry.name,
        nameSource: 'directory',
        ...(entry.employeeNo ? { employeeNo: entry.employeeNo } : {}),
        phone: phone ? await keys.seal(phone) : null,
        orgUnitId: unitId,
        verifiedAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    person = created!;
    result.peopleCreated++;
  } else {
    const fromDirectoryUnit = person.orgUnitId === null || (await unitIsDirectorys(tx, person.orgUnitId));
    await tx
      .update(people)
      .set({
        ...(person.nameSource !== 'roster'
          ? { displayName: entry.name, nameSource: 'directory' as const }
          : {}),
        ...(entry.employeeNo && !person.employeeNo ? { employeeNo: entry.employeeNo } : {}),
        ...(phone && !person.phone ? { phone: await keys.seal(phone) } : {}),
        ...(unitId && fromDirectoryUnit ? { orgUnitId: unitId } : {}),
        verifiedAt: person.verifiedAt ?? now,
        updatedAt: now,
      })
      .where(eq(people.id, person.id));
    result.peopleUpdated++;
  }
  if (!byAccount || byAccount.id !== person.id) {
    // An account the roster's entry (by 工号) did not have yet: bound to them.
    if (byNumber && !byAccount) result.bound++;
    await tx
      .insert(channelIdentities)
      .values({
        personId: person.id,
        channel: directory.channel as 'lark',
        externalId: entry.externalId,
        unionId: entry.unionId ?? null,
      })
      .onConflictDoUpdate({
        target: [channelIdentities.channel, channelIdentities.externalId],
        set: { personId: person.id },
      });
  }
}

const unitIsDirectorys = async (tx: Db, unitId: string) =>
  (
    await tx
      .select({ id: orgUnits.id })
      .from(orgUnits)
      .where(and(eq(orgUnits.id, unitId), isNotNull(orgUnits.directoryKey)))
  ).length > 0;

/** The oldest sync asked for (or one a dead instance left running), now this instance's. */
async function claimSync(db: Db, now: Date) {
  return db.transaction(async (tx) => {
    const [next] = await tx
      .select()
      .from(directorySyncs)
      .where(waitingOrStale(now))
      .orderBy(asc(directorySyncs.id))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!next) return undefined;
    const [claimed] = await tx
      .update(directorySyncs)
      .set({ status: 'running', startedAt: now })
      .where(eq(directorySyncs.id, next.id))
      .returning();
    return claimed;
  });
}

/** Reads each directory and applies it; one sync of those asked for a step. Resolves to whether it ran one. */
export function createDirectorySync(
  ctx: Pick<Ctx, 'db' | 'now' | 'log' | 'keys'>,
  directories: readonly Directory[],
): () => Promise<boolean> {
  return async () => {
    const now = ctx.now();
    const claimed = await claimSync(ctx.db, now);
    if (!claimed) return false;
    const finish = (set: Partial<typeof directorySyncs.$inferInsert>) =>
      ctx.db
        .update(directorySyncs)
        .set({ finishedAt: ctx.now(), ...set })
        .where(eq(directorySyncs.id, claimed.id));
    try {
      const result: DirectorySyncResult = {
        unitsCreated: 0,
        unitsUpdated: 0,
        peopleCreated: 0,
        peopleUpdated: 0,
        bound: 0,
        conflicts: 0,
      };
      const reads: {
        channel: string;
        read: Extract<Awaited<ReturnType<Directory['read']>>, { ok: true }>;
      }[] = [];
      for (const directory of directories) {
        const read = await directory.read();
        if (!read.ok) {
          await finish({ status: 'failed', error: read.detail.slice(0, 500) });
          ctx.log.warn('directory.sync_failed', {
            channel: directory.channel,
            reason: read.reason,
            detail: read.detail,
          });
          return true;
        }
        reads.push({ channel: directory.channel, read });
      }
      await ctx.db.transaction(async (tx) => {
        for (const { channel, read } of reads) {
          const unitIds = await applyUnits(tx, channel, read.units, result, now);
          for (const entry of read.people)
            await applyPerson(tx, ctx.keys, { channel, unitIds }, entry, result, now);
        }
        await audit(tx, {
          at: now,
          actorType: 'system',
          actorId: null,
          action: 'directory.sync',
          subjectType: 'directory',
          subjectId: String(claimed.id),
          detail: { ...result },
        });
      });
      await finish({ status: 'done', result });
      // Anonymous items a merge re-tagged are written again apart from it.
      if (result.bound > 0) await launderAnonymousItems(ctx.db);
      ctx.log.info('directory.synced', { ...result });
    } catch (error) {
      await finish({
        status: 'failed',
        error: error instanceof Error ? error.message.slice(0, 500) : 'failed',
      });
      ctx.log.error('directory.sync_failed', errorFields(error));
    }
    return true;
  };
}

/** The daily schedule's part: it asks for a sync, which the directory job then runs. */
export const directorySyncScheduleHandler: ScheduleHandler = async (tx, _schedule, fireAt) => {
  await requestDirectorySync(tx, 'schedule', fireAt);
};
