/**
 * What the congress and CSV console tests share: the console bound to a test file's stack (forms
 * and sessions from the public address as origin, the newest audit entry), and a web person given
 * a role or a unit through the officer API.
 */
import { desc } from 'drizzle-orm';
import { expect } from 'vitest';
import { auditLog } from '../../db/schema/index.ts';
import { consoleClient } from '../support/console.ts';
import { type Stack, type useStack, webPerson } from '../support/stack.ts';

export const publicUrl = 'https://union.example.org';

/** A person in the web chat, with these fields (a role, a unit) set through the API first. */
export async function person(stack: Stack, json: Record<string, unknown> = {}) {
  const someone = await webPerson(stack);
  if (Object.keys(json).length > 0) {
    const res = await stack.api(`/people/${someone.memberNo}`, { method: 'PATCH', json });
    expect(res.status, await res.clone().text()).toBe(200);
  }
  return someone;
}

/** The console for a test file's stack, and the audit log it writes. */
export function consoleDriver(fixture: ReturnType<typeof useStack>) {
  return {
    ...consoleClient(() => fixture.stack, publicUrl),
    /** The newest entry of the audit log. */
    latestAudit: async () =>
      (await fixture.database.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0]!,
  };
}
