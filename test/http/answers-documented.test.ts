/**
 * The officer API answers exactly what its OpenAPI document says: each answer, read with the zod
 * schema the document is written from, comes back unchanged (nothing missing, nothing of another
 * type, and nothing left out of the document). The routes are typed by the same schemas; this
 * checks what actually goes over the wire, Dates turned into text included.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { satisfactionReport, submissionDetail, submissionList } from '../../src/domains/items/api-schemas.ts';
import { sessionList, sessionView } from '../../src/domains/motions/api-schemas.ts';
import { orgUnitList, orgUnitView, peoplePage, personView } from '../../src/domains/people/api-schemas.ts';
import { askForHelp } from '../support/console.ts';
import { primaryKind } from '../support/databases.ts';
import { useStack, verifiedVisitor } from '../support/stack.ts';

const fixture = useStack();

/** The answer, which must be what the schema reads it as, key for key. */
async function documented(res: Response, schema: z.ZodType, status = 200) {
  expect(res.status).toBe(status);
  const body = await res.json();
  const read = schema.safeParse(body);
  if (!read.success) throw new Error(`${res.url}: ${read.error.message}`);
  expect(read.data).toEqual(body);
  return body;
}

describe(`the officer API's answers and its document (${primaryKind})`, () => {
  it('answers items, people, units and congress sessions in the documented shapes', async () => {
    const api = fixture.stack.api;
    const { visitor, memberNo } = await verifiedVisitor(fixture.stack);
    const help = await askForHelp(visitor, '家里老人住院，需要申请困难补助。');

    const list = (await documented(await api('/submissions?limit=10'), submissionList)) as {
      items: { referenceCode: string }[];
    };
    expect(list.items.map((i) => i.referenceCode)).toContain(help);
    await documented(await api(`/submissions/${help}`), submissionDetail);
    await documented(
      await api(`/submissions/${help}/status`, {
        method: 'POST',
        json: { status: 'acknowledged', reply: '已受理，工会将在三个工作日内联系您。' },
      }),
      submissionDetail,
    );
    await documented(await api('/satisfaction?by=month'), satisfactionReport);

    await documented(await api('/people?limit=5'), peoplePage);
    await documented(await api(`/people/${memberNo}`), personView);
    await documented(
      await api(`/people/${memberNo}`, { method: 'PATCH', json: { role: 'delegate' } }),
      personView,
    );
    const units = (await documented(await api('/org-units'), orgUnitList)) as { items: { id: string }[] };
    const made = (await documented(
      await api('/org-units', { method: 'POST', json: { nameZh: '第二车间', nameEn: 'Workshop 2' } }),
      orgUnitView,
      201,
    )) as { id: string };
    expect(units.items.length).toBeGreaterThan(0);
    await documented(
      await api(`/org-units/${made.id}`, { method: 'PATCH', json: { nameEn: 'Workshop No. 2' } }),
      orgUnitView,
    );

    const session = (await documented(
      await api('/congress-sessions', {
        method: 'POST',
        json: { nameZh: '第五届职代会', nameEn: '5th Congress' },
      }),
      sessionView,
      201,
    )) as { id: string };
    await documented(
      await api(`/congress-sessions/${session.id}`, { method: 'PATCH', json: { open: true } }),
      sessionView,
    );
    await documented(await api('/congress-sessions'), sessionList);
  });
});
