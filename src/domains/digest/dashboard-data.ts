/** The figures of the console's dashboard, over the items the access rules let the user see. */
import { and, desc, eq, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/handle.ts';
import { polls } from '../../../db/schema/index.ts';
import type { ItemScope } from '../../../flows/access/rules.ts';
import { digestData, itemsInScope } from './store.ts';

const day = 86_400_000;

export async function dashboardData(db: Db, scope: ItemScope, now: Date, timeZone: string) {
  const inScope = () => itemsInScope(scope);
  const digest = await digestData(db, { items: scope, since: new Date(now.getTime() - day), until: now });
  const byStatus = await queryRows<{ kind: string; status: string; n: number }>(
    db,
    sql`select s.kind, s.status, count(*)::int as n from submissions s where ${inScope()}
        group by s.kind, s.status order by s.kind, s.status`,
  );
  const byCategory = await queryRows<{ category: string; n: number }>(
    db,
    sql`select s.category, count(*)::int as n from submissions s
        where ${inScope()} and s.kind = 'suggestion' group by s.category order by n desc`,
  );
  // Ratings per week over the last 8 weeks, weeks starting Monday in the officer's zone.
  const weeks = await queryRows<{ week: string; rating: number; n: number }>(
    db,
    sql`select to_char(date_trunc('week', s.rated_at at time zone ${timeZone}), 'YYYY-MM-DD') as week,
               s.rating, count(*)::int as n
        from submissions s
        where ${inScope()} and s.rated_at is not null and s.rated_at > ${new Date(now.getTime() - 56 * day)}
        group by 1, 2 order by 1`,
  );
  const closedPolls = await db
    .select()
    .from(polls)
    .where(and(eq(polls.status, 'closed')))
    .orderBy(desc(polls.closedAt))
    .limit(3);
  return {
    digest,
    byStatus: byStatus.map((r) => ({ ...r, n: Number(r.n) })),
    byCategory: byCategory.map((r) => ({ ...r, n: Number(r.n) })),
    weeks: weeks.map((r) => ({ ...r, rating: Number(r.rating), n: Number(r.n) })),
    polls: closedPolls,
  };
}
