/** Finds or creates the person behind a channel identity. */

import { and, eq } from 'drizzle-orm';
import type { ChannelName, Inbound } from '../../../bots/core/messenger.ts';
import type { Db } from '../../../db/handle.ts';
import { channelIdentities, type PersonRow, people } from '../../../db/schema/index.ts';
import type { Lang } from '../../../kernel/l10n.ts';
import { type AuditEntry, audit } from '../../pipeline/audit.ts';
import { isVerified } from './directory.ts';

/** The person for this sender on this channel, created on first contact. Safe under concurrency. */
export async function resolvePerson(
  tx: Db,
  inbound: Pick<Inbound, 'channel' | 'sender'>,
  opts: { looked?: boolean } = {},
): Promise<PersonRow> {
  // A caller that has just looked and found no one skips the look: a race is settled below.
  const found = opts.looked ? undefined : await findPerson(tx, inbound.channel, inbound.sender.externalId);
  const given = inbound.sender.displayName?.trim();
  if (found) {
    // A messenger's display name (a WeChat contact's) follows its changes, until someone better knows it.
    if (
      !given ||
      given === found.displayName ||
      (found.nameSource !== 'generated' && found.nameSource !== 'channel')
    )
      return found;
    const [renamed] = await tx
      .update(people)
      .set({ displayName: given, nameSource: 'channel' })
      .where(eq(people.id, found.id))
      .returning();
    return renamed ?? found;
  }
  const [person] = await tx
    .insert(people)
    .values(
      given
        ? { displayName: given, nameSource: 'channel' }
        : { displayName: defaultName(inbound.channel, inbound.sender.externalId), nameSource: 'generated' },
    )
    .returning();
  const claimed = await tx
    .insert(channelIdentities)
    .values({
      personId: person!.id,
      channel: inbound.channel,
      externalId: inbound.sender.externalId,
      unionId: inbound.sender.unionId,
    })
    .onConflictDoNothing()
    .returning({ id: channelIdentities.id });
  if (claimed.length > 0) return person!;
  // Another transaction created the identity first: use its person, drop ours.
  await tx.delete(people).where(eq(people.id, person!.id));
  const winner = await findPerson(tx, inbound.channel, inbound.sender.externalId);
  if (!winner) throw new Error('channel identity vanished while resolving a person');
  return winner;
}

export async function findPerson(
  tx: Db,
  channel: ChannelName,
  externalId: string,
): Promise<PersonRow | undefined> {
  const rows = await tx
    .select({ person: people })
    .from(channelIdentities)
    .innerJoin(people, eq(people.id, channelIdentities.personId))
    .where(and(eq(channelIdentities.channel, channel), eq(channelIdentities.externalId, externalId)))
    .limit(1);
  return rows[0]?.person;
}

function defaultName(channel: string, externalId: string): string {
  const label = channel === 'web' ? '网页用户' : channel === 'lark' ? '飞书用户' : '微信用户';
  return `${label} ${externalId.slice(-4)}`;
}

export async function setLanguage(tx: Db, personId: string, language: Lang): Promise<void> {
  await tx.update(people).set({ language, updatedAt: new Date() }).where(eq(people.id, personId));
}

/**
 * The name a person gives (您怎么称呼). A name from the roster or the directory stays: the union's
 * record is the one officers go by. Resolves to whether it was taken and the name that stands.
 */
export async function giveName(
  tx: Db,
  personId: string,
  name: string,
  now: Date,
): Promise<{ ok: boolean; name: string }> {
  const [person] = await tx.select().from(people).where(eq(people.id, personId)).for('update');
  if (!person) throw new Error('the person of this message is gone');
  if (person.nameSource === 'roster' || person.nameSource === 'directory')
    return { ok: false, name: person.displayName };
  await tx
    .update(people)
    .set({ displayName: name, nameSource: 'self', updatedAt: now })
    .where(eq(people.id, personId));
  return { ok: true, name };
}

/** Whether the person writing on `channel` counts as verified (isVerified), asking about other accounts only when it must. */
export async function personVerified(tx: Db, person: PersonRow, channel: ChannelName): Promise<boolean> {
  if (isVerified(person, [channel])) return true;
  const others = await tx
    .select({ channel: channelIdentities.channel })
    .from(channelIdentities)
    .where(eq(channelIdentities.personId, person.id));
  return isVerified(
    person,
    others.map((o) => o.channel),
  );
}

/** An admin's correction of a person's name: it becomes the union's record (as the roster's is), audited. */
export async function renamePerson(
  db: Db,
  change: { memberNo: number; name: string; actor: Pick<AuditEntry, 'actorType' | 'actorId'>; now: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(people).where(eq(people.memberNo, change.memberNo)).for('update');
    if (!before || before.displayName === change.name) return;
    await tx
      .update(people)
      .set({ displayName: change.name, nameSource: 'roster', updatedAt: change.now })
      .where(eq(people.id, before.id));
    await audit(tx, {
      at: change.now,
      ...change.actor,
      action: 'person.rename',
      subjectType: 'person',
      subjectId: String(change.memberNo),
      detail: { from: before.displayName, to: change.name },
    });
  });
}
