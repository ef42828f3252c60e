/**
 * What an officer's daily digest and an admin's weekly summary report, read from the items of
 * the items the access rules let them see (every unit's for admins, their units' for officers).
 */
import { and, asc, eq, gt, lte, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/handle.ts';
import { polls } from '../../../db/schema/index.ts';
import type { ItemScope } from '../../../flows/access/rules.ts';
import type { DigestData, WeeklyData } from '../../../flows/commands/digest.ts';

/**
 * The items of a scope the access rules gave (itemScope): every item, or those of the units an
 * officer handles. Items of no unit are the admins' alone, so only the whole scope holds them.
 */
export const itemsInScope = (scope: ItemScope) =>
  scope.all
    ? sql`true`
    : scope.units.length === 0
      ? sql`false`
      : sql`s.org_unit_id in (${sql.join(
          scope.units.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`;

const day = 86_400_000;

/** A deadline as the digest's query reads it. */
interface DeadlineRow {
  reference_code: string;
  kind: string;
  title: string;
  what: 'ack' | 'answer' | 'cosign' | 'stuck';
  due_at: Date | string;
  urgent: boolean;
}

/** New items in the window, counted by kind. */
async function newItemCounts(db: Db, where: ReturnType<typeof itemsInScope>, since: Date, until: Date) {
  const rows = await queryRows<{ kind: string; count: number }>(
    db,
    sql`select s.kind, count(*)::int as count from submissions s
        where ${where} and s.created_at > ${since} and s.created_at <= ${until}
        group by s.kind order by s.kind`,
  );
  return rows.map((r) => ({ kind: r.kind, count: Number(r.count) }));
}

/**
 * Help requests not acknowledged in time (or due within a day), motions whose answer is due
 * within 7 days or late, motions short of co-signers a day before their deadline, and help
 * requests that have not moved for a week: the 20 soonest due.
 */
async function deadlines(db: Db, where: ReturnType<typeof itemsInScope>, until: Date) {
  const rows = await queryRows<DeadlineRow>(
    db,
    sql`select * from (
          select s.reference_code, s.kind, s.title, 'ack' as what, s.ack_due_at as due_at,
                 coalesce(s.details->>'urgency' = 'very_urgent', false) as urgent from submissions s
          where ${where} and s.kind = 'help_request' and s.status = 'new' and s.ack_due_at <= ${new Date(until.getTime() + day)}
          union all
          select s.reference_code, s.kind, s.title, 'answer', s.answer_due_at, false from submissions s
          where ${where} and s.kind = 'motion' and s.status in ('registered', 'assigned')
            and s.answer_due_at <= ${new Date(until.getTime() + 7 * day)}
          union all
          select s.reference_code, s.kind, s.title, 'cosign', s.cosign_due_at, false from submissions s
          where ${where} and s.kind = 'motion' and s.status = 'submitted'
            and s.cosign_due_at <= ${new Date(until.getTime() + day)}
          union all
          select s.reference_code, s.kind, s.title, 'stuck', s.updated_at + interval '7 days',
                 coalesce(s.details->>'urgency' = 'very_urgent', false) from submissions s
          where ${where} and s.kind = 'help_request' and s.status not in ('new', 'closed')
            and s.updated_at <= ${new Date(until.getTime() - 7 * day)}
        ) d order by d.urgent desc, d.due_at limit 20`,
  );
  return rows.map((r) => {
    const dueAt = new Date(r.due_at);
    return {
      referenceCode: r.reference_code,
      kind: r.kind,
      title: r.title,
      what: r.what,
      dueAt: dueAt.toISOString(),
      overdue: dueAt <= until,
      urgent: r.urgent === true || String(r.urgent) === 't',
    };
  });
}

/** Open help requests by how long ago they were filed. */
async function openHelpAges(db: Db, where: ReturnType<typeof itemsInScope>, until: Date) {
  const [age] = await queryRows<{ d1: number; d3: number; d7: number; older: number; urgent: number }>(
    db,
    sql`select (count(*) filter (where s.created_at > ${new Date(until.getTime() - day)}))::int as d1,
               (count(*) filter (where s.created_at <= ${new Date(until.getTime() - day)}
                                   and s.created_at > ${new Date(until.getTime() - 3 * day)}))::int as d3,
               (count(*) filter (where s.created_at <= ${new Date(until.getTime() - 3 * day)}
                                   and s.created_at > ${new Date(until.getTime() - 7 * day)}))::int as d7,
               (count(*) filter (where s.created_at <= ${new Date(until.getTime() - 7 * day)}))::int as older,
               (count(*) filter (where s.details->>'urgency' = 'very_urgent'))::int as urgent
        from submissions s where ${where} and s.kind = 'help_request' and s.status <> 'closed'`,
  );
  return {
    underOneDay: Number(age?.d1 ?? 0),
    oneToThreeDays: Number(age?.d3 ?? 0),
    threeToSevenDays: Number(age?.d7 ?? 0),
    overSevenDays: Number(age?.older ?? 0),
    urgent: Number(age?.urgent ?? 0),
  };
}

export async function digestData(
  db: Db,
  scope: { items: ItemScope; since: Date; until: Date },
): Promise<DigestData> {
  const { since, until } = scope;
  const where = itemsInScope(scope.items);
  const newItems = await newItemCounts(db, where, since, until);
  const dueSoon = await deadlines(db, where, until);
  const openHelp = await openHelpAges(db, where, until);
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    newItems,
    deadlines: dueSoon,
    openHelp,
    satisfaction: await satisfaction(db, where, new Date(until.getTime() - 7 * day), until),
    polls: (await closedPolls(db, since, until)).map((p) => ({
      code: p.code,
      question: p.question,
      kind: p.kind,
      shown: p.results?.shown ?? false,
      threshold: p.threshold,
      // Below the threshold not even the number of answers is told.
      ...(p.results?.shown ? { answers: p.results.answers, score: p.results.score ?? null } : {}),
    })),
  };
}

/** Polls that closed in the window, oldest first. */
async function closedPolls(db: Db, since: Date, until: Date) {
  return db
    .select()
    .from(polls)
    .where(and(eq(polls.status, 'closed'), gt(polls.closedAt, since), lte(polls.closedAt, until)))
    .orderBy(asc(polls.closedAt))
    .limit(20);
}

async function satisfaction(db: Db, where: ReturnType<typeof itemsInScope>, from: Date, until: Date) {
  const [row] = await queryRows<{ rated: number; satisfied: number; mostly: number; dissatisfied: number }>(
    db,
    sql`select count(*)::int as rated,
               (count(*) filter (where s.rating = 1))::int as satisfied,
               (count(*) filter (where s.rating = 2))::int as mostly,
               (count(*) filter (where s.rating = 3))::int as dissatisfied
        from submissions s
        where ${where} and s.rating is not null and s.rated_at > ${from} and s.rated_at <= ${until}`,
  );
  return {
    rated: Number(row?.rated ?? 0),
    satisfied: Number(row?.satisfied ?? 0),
    mostly: Number(row?.mostly ?? 0),
    dissatisfied: Number(row?.dissatisfied ?? 0),
  };
}

export async function weeklyData(db: Db, scope: { since: Date; until: Date }): Promise<WeeklyData> {
  const { since, until } = scope;
  const counts = await queryRows<{ kind: string; created: number; closed: number }>(
    db,
    sql`select s.kind,
               (count(*) filter (where s.created_at > ${since} and s.created_at <= ${until}))::int as created,
               (count(*) filter (where s.closed_at > ${since} and s.closed_at <= ${until}))::int as closed
        from submissions s group by s.kind order by s.kind`,
  );
  const [late] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from submissions s
        where (s.kind = 'help_request' and s.status = 'new' and s.ack_due_at <= ${until})
           or (s.kind = 'motion' and s.status in ('registered', 'assigned') and s.answer_due_at <= ${until})`,
  );
  const [news] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from news_items n where n.sent_at > ${since} and n.sent_at <= ${until}`,
  );
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    items: counts
      .map((r) => ({ kind: r.kind, created: Number(r.created), closed: Number(r.closed) }))
      .filter((r) => r.created > 0 || r.closed > 0),
    overdue: Number(late?.n ?? 0),
    newsSent: Number(news?.n ?? 0),
    satisfaction: await satisfaction(db, sql`true`, since, until),
  };
}
