/**
 * 满意度: ratings per period (by when they were given, in the union's time zone), kind and unit,
 * with 满意率 = (满意 + 基本满意) / rated, the figure unions report.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/handle.ts';

export interface SatisfactionFilter {
  unitIds?: readonly string[];
  kind?: string;
  /** Calendar days (YYYY-MM-DD) in the union's time zone; `to` is included. */
  from?: string;
  to?: string;
  by: 'week' | 'month';
  timeZone: string;
}

/**
 * Ratings per period (by when they were given, in the union's time zone), kind and unit, with
 * 满意率 = (满意 + 基本满意) / rated, the figure unions report.
 */
export async function satisfactionReport(db: Db, filter: SatisfactionFilter) {
  const conditions: SQL[] = [sql`s.rating is not null`];
  if (filter.unitIds) {
    conditions.push(
      filter.unitIds.length > 0
        ? sql`s.org_unit_id in (${sql.join(
            filter.unitIds.map((id) => sql`${id}`),
            sql`, `,
          )})`
        : sql`false`,
    );
  }
  if (filter.kind) conditions.push(sql`s.kind = ${filter.kind}`);
  if (filter.from)
    conditions.push(sql`(s.rated_at at time zone ${filter.timeZone})::date >= ${filter.from}::date`);
  if (filter.to)
    conditions.push(sql`(s.rated_at at time zone ${filter.timeZone})::date <= ${filter.to}::date`);
  const unit = filter.by === 'week' ? sql.raw(`'week'`) : sql.raw(`'month'`);
  const rows = await queryRows<{
    period: string;
    kind: string;
    unit_id: string | null;
    name_zh: string | null;
    name_en: string | null;
    rated: number;
    satisfied: number;
    mostly: number;
    dissatisfied: number;
  }>(
    db,
    sql`select to_char(date_trunc(${unit}, s.rated_at at time zone ${filter.timeZone}), 'YYYY-MM-DD') as period,
               s.kind, s.org_unit_id as unit_id, u.name_zh, u.name_en,
               count(*)::int as rated,
               (count(*) filter (where s.rating = 1))::int as satisfied,
               (count(*) filter (where s.rating = 2))::int as mostly,
               (count(*) filter (where s.rating = 3))::int as dissatisfied
        from submissions s left join org_units u on u.id = s.org_unit_id
        where ${sql.join(conditions, sql` and `)}
        group by 1, 2, 3, 4, 5
        order by 1, 2, 4`,
  );
  return rows.map((r) => ({
    period: r.period,
    kind: r.kind,
    unit: r.unit_id ? { id: r.unit_id, nameZh: r.name_zh!, nameEn: r.name_en! } : null,
    rated: Number(r.rated),
    satisfied: Number(r.satisfied),
    mostlySatisfied: Number(r.mostly),
    dissatisfied: Number(r.dissatisfied),
    satisfactionRate: Math.round(((Number(r.satisfied) + Number(r.mostly)) / Number(r.rated)) * 1000) / 1000,
  }));
}
