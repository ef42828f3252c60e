/**
 * What the schedule tests share: a web chat to send scheduled messages to, a message schedule made
 * through the officer API, and what the database shows of it afterwards (its runs in schedule_runs,
 * the messages queued with its text).
 */
import { asc, desc, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Db } from '../../../db/handle.ts';
import { conversations, scheduleRuns } from '../../../db/schema/index.ts';
import { queuedWithText } from '../../support/outbox.ts';
import { type Stack, testKeyRing, webVisitor } from '../../support/stack.ts';

export type Api = Stack['api'];
export interface Created {
  id: string;
  nextFireAt: string | null;
  timeZone: string;
  cron: string;
  enabled: boolean;
  name: string;
}

export const minute = 60_000;
export const iso = (at: number | string) => new Date(at).toISOString();

/** A web chat to send scheduled messages to. */
export async function webChat(stack: Stack, db: Db) {
  const person = await webVisitor(stack);
  await person.say('菜单');
  const [chat] = await db
    .select({ chatId: conversations.chatId })
    .from(conversations)
    .where(eq(conversations.channel, 'web'))
    .orderBy(desc(conversations.createdAt))
    .limit(1);
  return { person, chatId: chat!.chatId };
}

/** Creates a message schedule through the API (201, or the test fails with the answer). */
export async function createMessage(api: Api, chatId: string, cron: string, text: string, timeZone?: string) {
  const res = await api('/schedules', {
    method: 'POST',
    json: {
      name: text.slice(0, 20),
      cron,
      timeZone,
      kind: 'message',
      payload: { channel: 'web', chatId, text },
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Created;
}

/** This schedule's runs, oldest first. */
export const runsOf = (db: Db, scheduleId: string) =>
  db
    .select({ fireAt: scheduleRuns.fireAt, status: scheduleRuns.status })
    .from(scheduleRuns)
    .where(eq(scheduleRuns.scheduleId, scheduleId))
    .orderBy(asc(scheduleRuns.fireAt));

/** When this schedule's runs with this status were due, oldest first. */
export const firedAt = async (db: Db, scheduleId: string, status = 'claimed') =>
  (await runsOf(db, scheduleId)).filter((r) => r.status === status).map((r) => r.fireAt.toISOString());

/** Messages queued with this text (delivered or not). */
export const queued = (db: Db, text: string) => queuedWithText(db, testKeyRing, text);
