/**
 * Three Node instances on one database, each with its own Lark client and outbox dispatcher,
 * sending together: with the limits kept in the database they stay, together, within Lark's 50
 * sends a second per app and 5 a second per chat, timed by the database's clock (when each send's
 * window began), and every message is delivered once. Without an override, `sharedLimits` is what
 * puts the count in the database.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimit, SendLimiter } from '../../bots/core/rate-limiter.ts';
import { queryRows } from '../../db/handle.ts';
import { enqueue } from '../../src/pipeline/outbox.ts';
import { SharedSendBudget } from '../../src/pipeline/send-budget.ts';
import { busiest } from '../support/busiest.ts';
import { openTestDatabase, primaryKind, type TestDatabase } from '../support/databases.ts';
import { larkApp, larkEnv } from '../support/lark-events.ts';
import { type StandIn, startLarkStandIn } from '../support/lark-stand-in.ts';
import { createStack, type Stack, testKeyRing } from '../support/stack.ts';

interface Taken {
  instance: number;
  /** When the window each limit counted the send in began, by the database's clock. */
  windows: Record<string, number>;
  /** Given back (the platform did not take the send): its place in the window went to another. */
  givenBack: boolean;
}

/** The database's budget, noting each slot it hands out, to which instance, and each given back. */
function recording(budget: SharedSendBudget, instance: number, taken: Taken[]): SendLimiter {
  return {
    async take(limits: readonly { key: string; limit: RateLimit }[]) {
      const slot = await budget.take(limits);
      const entry: Taken = { instance, windows: slot.windows, givenBack: false };
      taken.push(entry);
      return {
        ...slot,
        giveBack() {
          entry.givenBack = true;
          slot.giveBack();
        },
      };
    },
  };
}

let standIn: StandIn;
let database: TestDatabase;
let stacks: Stack[];
const taken: Taken[] = [];

beforeAll(async () => {
  standIn = await startLarkStandIn({ ...larkApp });
  // The platform's own limits: a send over them would be refused with 429.
  Object.assign(standIn.faults, { appPerSecond: 50, userPerSecond: 5 });
  database = await openTestDatabase(primaryKind);
  stacks = [0, 1, 2].map((instance) =>
    createStack(database, {
      env: larkEnv(standIn.url),
      sharedLimits: true,
      sendLimiter: recording(new SharedSendBudget(database.db), instance, taken),
    }),
  );
});

afterAll(async () => {
  await standIn?.close();
  await database?.close();
});

describe(`three Node instances sending to Lark together (${primaryKind})`, () => {
  it('keep 50 a second for the app and 5 a second per chat between them, and deliver each message once', async () => {
    const message = (n: number) => ({ type: 'text' as const, text: `通知 ${n}` });
    await enqueue(database.db, testKeyRing, [
      ...Array.from({ length: 150 }, (_, n) => ({
        channel: 'lark' as const,
        chatId: `oc_many_${n}`,
        message: message(n),
      })),
      ...Array.from({ length: 12 }, (_, n) => ({
        channel: 'lark' as const,
        chatId: 'oc_busy',
        message: message(n),
      })),
    ]);
    await Promise.all(stacks.map((stack) => stack.drain()));
    // Until every row is sent: a dispatcher that found others' rows claimed may end early.
    for (let round = 0; round < 100; round++) {
      const [left] = await queryRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from outbox where status <> 'sent'`,
      );
      if (left!.n === 0) break;
      await Promise.all(stacks.map((stack) => stack.drain()));
    }

    expect(standIn.sent).toHaveLength(162);
    expect(new Set(standIn.sent.map((m) => m.uuid)).size).toBe(162);
    expect(standIn.sent.filter((m) => m.receiveId === 'oc_busy')).toHaveLength(12);
    // Every send took a slot (a send the platform refused, arriving late among later ones on a busy
    // machine, took another for its retry), and the instances shared the work.
    expect(taken.length).toBeGreaterThanOrEqual(162);
    expect(new Set(taken.map((t) => t.instance)).size).toBeGreaterThan(1);
    // Within the limits, by the windows the database handed out to the sends that counted.
    const counted = taken.filter((t) => !t.givenBack);
    expect(
      busiest(
        counted.map((t) => t.windows['app:s']!),
        1000,
      ),
    ).toBeLessThanOrEqual(50);
    const busy = counted.flatMap((t) => t.windows['chat:oc_busy'] ?? []);
    expect(busy.length).toBeGreaterThanOrEqual(12);
    expect(busiest(busy, 1000)).toBeLessThanOrEqual(5);
  });

  it('keeps the count in the database when the limits are shared, with no limiter given', async () => {
    const plain = createStack(database, { env: larkEnv(standIn.url), sharedLimits: true });
    await database.db.execute(sql`delete from send_budget`);
    await enqueue(database.db, testKeyRing, [
      { channel: 'lark', chatId: 'oc_plain', message: { type: 'text', text: '你好' } },
    ]);
    await plain.drain();
    const keys = await queryRows<{ key: string }>(database.db, sql`select key from send_budget order by key`);
    expect(keys.map((k) => k.key.replace(/@\d+$/, ''))).toEqual(['app:m', 'app:s', 'chat:oc_plain']);
  });
});
