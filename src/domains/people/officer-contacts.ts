/**
 * Reaching officers and admins: who is responsible for a unit (bound to it or to a unit above
 * it), and the private chat each was last seen in, where notices for them go.
 */
import { sql } from 'drizzle-orm';
import type { ChannelName, Outbound } from '../../../bots/core/messenger.ts';
import { type Db, queryRows } from '../../../db/handle.ts';
import { handlesEveryUnit, rolesFor } from '../../../flows/access/rules.ts';
import { newItemNotice } from '../../../flows/commands/officer.ts';
import type { Role } from '../../../flows/engine/roles.ts';
import type { Lang } from '../../../kernel/l10n.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { enqueue } from '../../pipeline/outbox.ts';

export interface Contact {
  personId: string;
  language: Lang;
  channel: ChannelName;
  chatId: string;
}

/**
 * People of these roles who handle the unit or a unit above it, each with their latest private
 * chat. With no unit (or, unless `fallback` is false, nobody bound), every person of these roles.
 * People never seen in a private chat cannot be reached and are left out.
 */
export async function responsibleContacts(
  db: Db,
  unitId: string | null,
  roles: readonly Role[],
  opts: { fallback: boolean } = { fallback: true },
): Promise<Contact[]> {
  if (roles.length === 0) return [];
  const roleList = sql.join(
    roles.map((r) => sql`${r}`),
    sql`, `,
  );
  const bound = unitId
    ? await queryRows<{ person_id: string }>(
        db,
        sql`with recursive up(id, parent_id) as (
              select id, parent_id from org_units where id = ${unitId}
              union
              select u.id, u.parent_id from org_units u join up on u.id = up.parent_id)
            select distinct ou.person_id from officer_units ou
            join up on up.id = ou.org_unit_id
            join people p on p.id = ou.person_id and p.role in (${roleList})`,
      )
    : [];
  const people =
    bound.length > 0 || (unitId && !opts.fallback)
      ? bound.map((b) => b.person_id)
      : (await queryRows<{ id: string }>(db, sql`select id from people where role in (${roleList})`)).map(
          (r) => r.id,
        );
  if (people.length === 0) return [];
  const rows = await queryRows<{ person_id: string; language: Lang; channel: ChannelName; chat_id: string }>(
    db,
    sql`select distinct on (c.person_id) c.person_id, p.language, c.channel, c.chat_id
        from conversations c join people p on p.id = c.person_id
        where c.chat_type = 'private' and c.person_id in (${sql.join(
          people.map((id) => sql`${id}`),
          sql`, `,
        )})
        order by c.person_id, c.updated_at desc`,
  );
  return rows.map((r) => ({
    personId: r.person_id,
    language: r.language,
    channel: r.channel,
    chatId: r.chat_id,
  }));
}

/**
 * Those who may read an item of this unit (the access rules), with their private chat: the
 * officers and admins bound to it or to a unit above it; for an item of no unit, or of a unit
 * nobody is bound to, the admins, who handle every unit.
 */
export async function itemReaders(db: Db, unitId: string | null): Promise<Contact[]> {
  const readers = rolesFor('item.read');
  const bound = unitId ? await responsibleContacts(db, unitId, readers, { fallback: false }) : [];
  return bound.length > 0
    ? bound
    : responsibleContacts(db, null, readers.filter(handlesEveryUnit), { fallback: true });
}

/** Queues one message to each contact, in their language. */
export async function tellContacts(
  tx: Db,
  keys: KeyRing,
  contacts: readonly Contact[],
  messageIn: (language: Lang) => Outbound,
): Promise<void> {
  await enqueue(
    tx,
    keys,
    contacts.map((c) => ({ channel: c.channel, chatId: c.chatId, message: messageIn(c.language) })),
  );
}

/**
 * Tells those who may read the item that it arrived (no unit: the admins). The person who filed it
 * is left out, unless they filed it anonymously (`filedBy` null): then leaving them out would say
 * who wrote it.
 */
export async function notifyNewItem(
  tx: Db,
  keys: KeyRing,
  item: { kind: string; referenceCode: string; title: string; category: string; urgency?: string },
  unitId: string | null,
  filedBy: string | null,
): Promise<void> {
  const contacts = (await itemReaders(tx, unitId)).filter((c) => c.personId !== filedBy);
  await tellContacts(tx, keys, contacts, (language) => newItemNotice(item, language));
}

/** A person's latest private chat with the bot, where notices for them go; null if never seen there. */
export async function privateChatOf(db: Db, personId: string): Promise<Contact | null> {
  const [row] = await queryRows<{ language: Lang; channel: ChannelName; chat_id: string }>(
    db,
    sql`select p.language, c.channel, c.chat_id from conversations c join people p on p.id = c.person_id
        where c.person_id = ${personId} and c.chat_type = 'private'
        order by c.updated_at desc limit 1`,
  );
  return row ? { personId, language: row.language, channel: row.channel, chatId: row.chat_id } : null;
}

/** Tells the officers and admins of a motion's unit that its author was not satisfied with the answer. */
export async function notifyReopened(
  tx: Db,
  keys: KeyRing,
  motion: { referenceCode: string; title: string; comment: string },
  unitId: string | null,
): Promise<void> {
  const contacts = await itemReaders(tx, unitId);
  await tellContacts(tx, keys, contacts, (language) => ({
    type: 'summary' as const,
    tone: 'warning' as const,
    title:
      language === 'zh'
        ? `提案人对答复不满意：${motion.referenceCode}`
        : `The author is not satisfied with the answer: ${motion.referenceCode}`,
    fields: [
      { label: language === 'zh' ? '标题' : 'Title', value: motion.title },
      ...(motion.comment ? [{ label: language === 'zh' ? '意见' : 'Comment', value: motion.comment }] : []),
    ],
    text:
      language === 'zh' ? '已退回承办中，请重新答复。' : 'It is back with the department for another answer.',
  }));
}
