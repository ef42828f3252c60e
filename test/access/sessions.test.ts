/**
 * Console sessions end when rights change (security review #12). A change of role, unit or
 * handled units — from the officer API, the console's people page or the chat's 角色/单位 —
 * deletes the person's sessions and unused sign-in links in the same transaction, so an old
 * cookie is refused even once the same rights come back. Saving a person unchanged ends nothing.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, consoleSessions, people } from '../../db/schema/index.ts';
import { createWorld, type World } from '../support/access-world.ts';
import { consoleClient } from '../support/console.ts';
import { primaryKind } from '../support/databases.ts';
import { bubbleText, useStack, webPerson } from '../support/stack.ts';

const clock = new Date('2026-10-12T02:00:00Z');
const publicUrl = 'https://union.example.org';
const fixture = useStack({ now: () => clock, env: { PUBLIC_URL: publicUrl } });
const client = consoleClient(() => fixture.stack, publicUrl);

let world: World | undefined;
const w = () => {
  if (!world) throw new Error('the world is made in the first test');
  return world;
};

/** An officer of 南区 with a console session. */
async function signedInOfficer() {
  const { visitor, memberNo } = await webPerson(fixture.stack);
  const res = await fixture.stack.api(`/people/${memberNo}`, {
    method: 'PATCH',
    json: { role: 'officer', officerUnitIds: [w().units.south] },
  });
  expect(res.status).toBe(200);
  const session = await client.officerSession(visitor);
  expect((await client.get('/console/items', session.cookie)).status).toBe(200);
  const [row] = await fixture.database.db.select().from(people).where(eq(people.memberNo, memberNo));
  return { visitor, memberNo, id: row!.id, session };
}

const works = async (cookie: string) => (await client.get('/console/items', cookie)).status === 200;
const sessionsOf = async (personId: string) =>
  fixture.database.db.select().from(consoleSessions).where(eq(consoleSessions.personId, personId));
const patch = (memberNo: number, json: unknown) =>
  fixture.stack.api(`/people/${memberNo}`, { method: 'PATCH', json });

describe(`console sessions end when rights change (${primaryKind})`, () => {
  it('refuses the old cookie after a demotion, even once the officer is promoted again', async () => {
    world = await createWorld(fixture.stack, fixture.database.db, () => clock);
    const officer = await signedInOfficer();
    // A link asked for before the change is no good after it either.
    const replies = (await officer.visitor.say('后台')) as { link?: { url: string } }[];
    const pending = new URL(replies.find((r) => r.link)?.link?.url ?? '').searchParams.get('t') ?? '';

    expect((await patch(officer.memberNo, { role: 'staff' })).status).toBe(200);
    expect(await sessionsOf(officer.id)).toEqual([]);
    expect(await works(officer.session.cookie)).toBe(false);
    expect(
      (await patch(officer.memberNo, { role: 'officer', officerUnitIds: [w().units.south] })).status,
    ).toBe(200);
    const old = await client.get('/console/items', officer.session.cookie);
    expect(old.status).toBe(303);
    expect(old.headers.get('location')).toBe('/console/signin');
    const form = await fixture.stack.request(
      '/console/items/JY-2026-0001/status',
      client.form({ csrf: officer.session.csrf, status: 'in_review' }, officer.session.cookie),
    );
    expect(form.status).toBe(401);
    expect((await fixture.stack.request('/console/signin/link', client.form({ t: pending }))).status).toBe(
      410,
    );

    // A new sign-in works; the change is on record with the sessions it ended.
    const fresh = await client.officerSession(officer.visitor);
    expect(await works(fresh.cookie)).toBe(true);
    const [demoted] = await fixture.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'person.assign'), eq(auditLog.subjectId, String(officer.memberNo))))
      .orderBy(auditLog.id)
      .offset(1);
    expect(demoted!.detail).toMatchObject({ fromRole: 'officer', role: 'staff', sessionsEnded: 1 });
  });

  it('ends them on a change of unit or of handled units, and not on a save that changes nothing', async () => {
    const officer = await signedInOfficer();
    expect((await patch(officer.memberNo, { role: 'officer' })).status).toBe(200);
    expect(await works(officer.session.cookie)).toBe(true);

    expect((await patch(officer.memberNo, { officerUnitIds: [w().units.north] })).status).toBe(200);
    expect(await works(officer.session.cookie)).toBe(false);

    const again = await client.officerSession(officer.visitor);
    expect((await patch(officer.memberNo, { orgUnitId: w().units.station })).status).toBe(200);
    expect(await works(again.cookie)).toBe(false);
    expect(await sessionsOf(officer.id)).toEqual([]);
  });

  it('ends them when an admin changes the role on the console’s people page', async () => {
    const officer = await signedInOfficer();
    const admin = await client.officerSession(w().admin.visitor);
    const save = (fields: Record<string, string>) =>
      fixture.stack.request(
        `/console/people/${officer.memberNo}`,
        client.form({ csrf: admin.csrf, unit: '', ...fields }, admin.cookie),
      );
    expect((await save({ role: 'staff' })).status).toBe(303);
    expect(await works(officer.session.cookie)).toBe(false);
    expect((await save({ role: 'officer', handles: w().units.south })).status).toBe(303);
    expect(await works(officer.session.cookie)).toBe(false);
    // The admin's own session is not touched.
    expect(await works(admin.cookie)).toBe(true);
  });

  it('ends them when an admin types 角色 in chat', async () => {
    const officer = await signedInOfficer();
    expect(bubbleText(await w().admin.visitor.say(`角色 ${officer.memberNo} 职工`))).toContain('已更新');
    expect(await works(officer.session.cookie)).toBe(false);
    expect(bubbleText(await w().admin.visitor.say(`角色 ${officer.memberNo} 干部 南区`))).toContain('已更新');
    expect(await works(officer.session.cookie)).toBe(false);
  });
});
