/**
 * Reaching the people of an audience (news items, polls): the SQL that keeps the people of some
 * org units and the units below them, the way each person is reached in private — their latest
 * private chat, or else their Lark open_id — and who counts as a verified member.
 */
import { type SQL, sql } from 'drizzle-orm';
import { people } from '../../../db/schema/index.ts';

/** An `and …` condition on `p.org_unit_id`: the units and every unit below them (nothing for none). */
export function inUnitTree(unitIds: readonly string[]): SQL {
  if (unitIds.length === 0) return sql``;
  return sql`and p.org_unit_id in (
    with recursive tree(id) as (
      select id from org_units where id in (${sql.join(
        unitIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})
      union
      select u.id from org_units u join tree on u.parent_id = tree.id)
    select id from tree)`;
}

/**
 * `people p` with where to reach each in private: select `reach.channel` and `reach.chat_id`;
 * `reach.chat_id` is null for someone the bot cannot reach.
 */
export const peopleWithReach = sql`people p
  left join lateral (
    select c.channel, c.chat_id from conversations c
    where c.person_id = p.id and c.chat_type = 'private'
    order by c.updated_at desc limit 1) c on true
  left join lateral (
    select ci.external_id from channel_identities ci
    where ci.person_id = p.id and ci.channel = 'lark'
    order by ci.created_at limit 1) l on true
  cross join lateral (
    select coalesce(c.channel, 'lark') as channel, coalesce(c.chat_id, l.external_id) as chat_id) reach`;

/**
 * An `and …` condition keeping verified members among `people p`: someone with an account on a
 * messenger (Lark, WeChat), which nobody can make at will in numbers, someone bound to the roster
 * (an invitation) or a directory, or someone an admin placed in a unit or gave a role (isVerified
 * in directory.ts says the same of one person). A web chat visitor is only a cookie, made at will: until vouched for,
 * they count toward no poll audience and no poll's threshold.
 */
export const verifiedOnly = sql`and (p.verified_at is not null or p.role <> 'staff' or p.org_unit_id is not null
  or exists (select 1 from channel_identities vi where vi.person_id = p.id and vi.channel <> 'web'))`;

/**
 * Whether the person of the `people` row in a query is verified: the same rule as verifiedOnly, for
 * one row (the proposer of an item, shown 未核实 to officers when not).
 */
export const personVerifiedSql = sql<boolean>`(${people.verifiedAt} is not null or ${people.role} <> 'staff'
  or ${people.orgUnitId} is not null
  or exists (select 1 from channel_identities vi where vi.person_id = ${people.id} and vi.channel <> 'web'))`;
