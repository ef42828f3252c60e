/** Finds or creates the person behind a channel identity. */

import { and, eq } from 'drizzle-orm';
import type { ChannelName, Inbound } from '../../../bots/core/messenger.ts';
import type { Db } from '../../../db/handle.ts';
import { channelIdentities, type PersonRow, people } from '../../../db/schema/index.ts';
import type { Lang } from '../../../kernel/l10n.ts';

/** The person for this sender on this channel, created on first contact. Safe under concurrency. */
export async function resolvePerson(
  tx: Db,
  inbound: Pick<Inbound, 'channel' | 'sender'>,
  opts: { looked?: boolean } = {},
): Promise<PersonRow> {
  // A caller that has just looked and found no one skips the look: a race is settled below.
  const found = opts.looked ? undefined : await findPerson(tx, inbound.channel, inbound.sender.externalId);
  if (found) return found;
  const given = inbound.sender.displayName?.trim();
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
