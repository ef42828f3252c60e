/**
 * Per-person limits and delivery memory kept in the database: two instances (two limit objects
 * over one database, as behind a round-robin balancer) meet one limit; a burst in parallel is
 * counted one by one; the previous minute weighs on the next; a delivery seen by one instance is
 * known to the other for a day; the rows name nobody and are swept once past their use. And an
 * instance's own memory, by contrast, lets each instance allow the whole limit.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../db/handle.ts';
import { FloodGuard } from '../../src/pipeline/flood-guard.ts';
import { SharedPersonLimit, SharedRecentKeys, sweepPersonLimits } from '../../src/pipeline/person-limits.ts';
import { databaseKinds, useDatabase } from '../support/databases.ts';
import { testKeyRing } from '../support/stack.ts';

const start = new Date('2026-12-02T08:00:00Z').getTime();

describe.each(databaseKinds)('limits kept in the database (%s)', (kind) => {
  const database = useDatabase(kind);

  it('holds one limit for a person whose messages two instances take in turn', async () => {
    let clock = start;
    const now = () => new Date(clock);
    const a = new SharedPersonLimit(database.db, testKeyRing, 'messages', 3, now);
    const b = new SharedPersonLimit(database.db, testKeyRing, 'messages', 3, now);
    const turns = [a, b, a, b, a, b];
    const allowed = [];
    for (const instance of turns) allowed.push(await instance.allow('lark:ou_worker_1'));
    expect(allowed).toEqual([true, true, true, false, false, false]);
    // Someone else is counted apart.
    expect(await b.allow('lark:ou_worker_2')).toBe(true);
    // Half-way through the next minute, half of the last minute's three still weigh: one more fits.
    clock = start + 90_000;
    expect(await a.allow('lark:ou_worker_1')).toBe(true);
    expect(await b.allow('lark:ou_worker_1')).toBe(false);
    // Two minutes on, the count starts afresh.
    clock = start + 180_000;
    expect(await b.allow('lark:ou_worker_1')).toBe(true);

    // Each instance's own memory, by contrast, allows the limit on each.
    const memoryA = new FloodGuard(3, () => clock);
    const memoryB = new FloodGuard(3, () => clock);
    const apart = [];
    for (const instance of [memoryA, memoryB, memoryA, memoryB, memoryA, memoryB])
      apart.push(instance.allow('lark:ou_worker_3'));
    expect(apart.filter(Boolean)).toHaveLength(6);
  });

  it('counts a burst in parallel one by one, and gives back what it refuses', async () => {
    const now = () => new Date(start + 600_000);
    const limits = [0, 1, 2, 3].map(() => new SharedPersonLimit(database.db, testKeyRing, 'votes', 5, now));
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => limits[i % limits.length]!.allow('web:visitor-burst')),
    );
    expect(answers.filter(Boolean)).toHaveLength(5);
    const rows = await queryRows<{ key: string; used: number }>(
      database.db,
      sql`select key, used from person_limits where key like 'votes:%'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.used).toBe(5);
  });

  it('names nobody: a keyed hash per limit, so one person has a different row name in each', async () => {
    const now = () => new Date(start + 1_200_000);
    await new SharedPersonLimit(database.db, testKeyRing, 'messages', 30, now).allow('lark:ou_named_person');
    await new SharedPersonLimit(database.db, testKeyRing, 'votes', 30, now).allow('lark:ou_named_person');
    const rows = await queryRows<{ key: string }>(database.db, sql`select key from person_limits`);
    expect(JSON.stringify(rows)).not.toContain('ou_named_person');
    const hashes = (name: string) =>
      rows.filter((r) => r.key.startsWith(`${name}:`)).map((r) => r.key.slice(name.length + 1));
    const shared = hashes('messages').filter((hash) => hashes('votes').includes(hash));
    expect(shared).toEqual([]);
  });

  it('remembers a delivery on every instance for a day, then forgets it', async () => {
    let clock = start;
    const now = () => new Date(clock);
    const a = new SharedRecentKeys(database.db, testKeyRing, now);
    const b = new SharedRecentKeys(database.db, testKeyRing, now);
    expect(await b.has('lark:msg:om_code_1')).toBe(false);
    await a.add('lark:msg:om_code_1');
    expect(await b.has('lark:msg:om_code_1')).toBe(true);
    expect(await b.has('lark:msg:om_code_2')).toBe(false);
    const stored = await queryRows<{ key: string }>(database.db, sql`select key from recent_deliveries`);
    expect(JSON.stringify(stored)).not.toContain('om_code_1');
    clock = start + 23 * 3_600_000;
    expect(await b.has('lark:msg:om_code_1')).toBe(true);
    clock = start + 25 * 3_600_000;
    expect(await b.has('lark:msg:om_code_1')).toBe(false);
    await sweepPersonLimits(database.db, new Date(clock));
    const [left] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from recent_deliveries`,
    );
    expect(left!.n).toBe(0);
    const [limits] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from person_limits`,
    );
    expect(limits!.n).toBe(0);
  });
});
