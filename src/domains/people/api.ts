/**
 * The directory in the officer API (bearer ADMIN_TOKEN): org units, and people with their roles,
 * units and the units they handle. Every change is audited.
 */
import { Hono } from 'hono';
import type { z } from 'zod';
import { AppError } from '../../../kernel/errors.ts';
import { isUuid } from '../../../kernel/http/ids.ts';
import { readJson, validationError } from '../../../kernel/http/json-body.ts';
import { type ApiEnv, allow } from '../../http/api-access.ts';
import type { Ctx } from '../../kernel/ctx.ts';
import {
  type orgUnitList,
  type orgUnitView,
  type peoplePage,
  peopleQuery,
  personChangeBody,
  type personView,
  unitCreateBody,
  unitRenameBody,
} from './api-schemas.ts';
import {
  assignPerson,
  createUnit,
  listPeople,
  listUnits,
  profileOf,
  publicProfile,
  renameUnit,
} from './directory.ts';

const text = {
  noUnit: { zh: '找不到该单位。', en: 'No such unit.' },
  noParent: { zh: '找不到上级单位。', en: 'The parent unit does not exist.' },
  noPerson: (no: string) => ({
    zh: `没有成员号为 ${no} 的人员。`,
    en: `Nobody has the member number ${no}.`,
  }),
  badMemberNo: { zh: '成员号应为数字。', en: 'A member number is a number.' },
  notOfficer: {
    zh: '只有工会干部和管理员才能负责单位。',
    en: 'Only officers and admins can handle units.',
  },
};

const admin = { actorType: 'admin_token' as const, actorId: null };

export function directoryApi(ctx: Pick<Ctx, 'db' | 'log' | 'now' | 'keys'>) {
  const { db } = ctx;
  const memberNo = (raw: string) => {
    if (!/^\d{1,12}$/.test(raw)) throw new AppError('validation_failed', text.badMemberNo);
    return Number(raw);
  };
  const unitView = async (id: string): Promise<z.output<typeof orgUnitView>> => {
    const found = (await listUnits(db)).find((u) => u.id === id);
    if (!found) throw new AppError('not_found', text.noUnit);
    return found;
  };
  const person = async (no: number): Promise<z.output<typeof personView>> => {
    const found = await profileOf(db, { memberNo: no });
    if (!found) throw new AppError('not_found', text.noPerson(String(no)));
    return publicProfile(found);
  };

  return new Hono<ApiEnv>()
    .get('/org-units', allow('units.list'), async (c) =>
      c.json({ items: await listUnits(db) } satisfies z.output<typeof orgUnitList>),
    )
    .post('/org-units', allow('units.manage'), async (c) => {
      const body = await readJson(c, unitCreateBody);
      const result = await createUnit(db, body, admin, ctx.now());
      if (!result.ok) throw new AppError('validation_failed', text.noParent);
      ctx.log.info('org_unit.created', { id: result.id });
      return c.json(await unitView(result.id), 201);
    })
    .patch('/org-units/:id', allow('units.manage'), async (c) => {
      const body = await readJson(c, unitRenameBody);
      const id = c.req.param('id');
      const ok = isUuid(id) && (await renameUnit(db, id, body, admin, ctx.now()));
      if (!ok) throw new AppError('not_found', text.noUnit);
      return c.json(await unitView(id));
    })
    .get('/people', allow('people.list'), async (c) => {
      const query = peopleQuery.safeParse(c.req.query());
      if (!query.success) throw validationError(query.error);
      const { limit, offset, unit, ...filter } = query.data;
      const result = await listPeople(db, { ...filter, ...(unit ? { unitId: unit } : {}), limit, offset });
      return c.json({ ...result, limit, offset } satisfies z.output<typeof peoplePage>);
    })
    .get('/people/:no', allow('people.list'), async (c) => c.json(await person(memberNo(c.req.param('no')))))
    .patch('/people/:no', allow('people.assign'), async (c) => {
      const no = memberNo(c.req.param('no'));
      const body = await readJson(c, personChangeBody);
      const result = await assignPerson(db, {
        memberNo: no,
        ...(body.role ? { role: body.role } : {}),
        ...(body.orgUnitId !== undefined ? { unitId: body.orgUnitId } : {}),
        ...(body.officerUnitIds ? { officerUnitIds: body.officerUnitIds } : {}),
        actor: admin,
        now: ctx.now(),
        keyRing: ctx.keys,
      });
      if (!result.ok) {
        if (result.reason === 'no_person') throw new AppError('not_found', text.noPerson(String(no)));
        if (result.reason === 'not_officer') throw new AppError('validation_failed', text.notOfficer);
        throw new AppError('validation_failed', text.noUnit);
      }
      ctx.log.info('person.assigned', { memberNo: no, role: body.role });
      return c.json(await person(no));
    });
}
