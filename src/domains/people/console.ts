/**
 * 人员与单位 (admins only): people with search, one person's role, unit and handled units, and
 * the org units (create, rename). Changes go through the directory store the officer API uses,
 * so they are checked and audited the same way (person.assign, org_unit.create, org_unit.rename).
 * The people list as a CSV (same filters, every page), its export audited; the roster imported
 * and exported (console-roster.ts). The pages live in console-list.ts, console-person.ts,
 * console-units.ts and console-roster.ts; this is their routes.
 */
import { Hono } from 'hono';
import { gate } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { askSync } from './console-directory.ts';
import { makeInvite, makeSheet, sendInvite, showSheet } from './console-invite.ts';
import { exportPeople, listPage } from './console-list.ts';
import { assignFromConsole, showPerson } from './console-person.ts';
import { applyRoster, downloadRoster, showPreview, showRoster, uploadRoster } from './console-roster.ts';
import { addUnit, changeUnitName, showUnits } from './console-units.ts';

export function peoplePages(deps: ConsoleDeps) {
  return new Hono<ConsoleEnv>()
    .get('/console/people', gate(deps, 'people.list'), (c) => listPage(c, deps))
    .get('/console/people.csv', gate(deps, 'people.list'), (c) => exportPeople(c, deps))
    .post('/console/people/directory-sync', gate(deps, 'people.assign'), (c) => askSync(c, deps))
    .get('/console/people/roster', gate(deps, 'people.assign'), (c) => showRoster(c))
    .post('/console/people/roster', gate(deps, 'people.assign'), (c) => uploadRoster(c, deps))
    .get('/console/people/roster.xlsx', gate(deps, 'people.list'), (c) => downloadRoster(c, deps, 'xlsx'))
    .get('/console/people/roster.csv', gate(deps, 'people.list'), (c) => downloadRoster(c, deps, 'csv'))
    .get('/console/people/roster/:id', gate(deps, 'people.assign'), (c) => showPreview(c, deps))
    .post('/console/people/roster/:id', gate(deps, 'people.assign'), (c) => applyRoster(c, deps))
    .get('/console/people/units', gate(deps, 'units.manage'), (c) => showUnits(c, deps))
    .post('/console/people/units', gate(deps, 'units.manage'), (c) => addUnit(c, deps))
    .post('/console/people/units/:id', gate(deps, 'units.manage'), (c) => changeUnitName(c, deps))
    .get('/console/people/invitations', gate(deps, 'people.assign'), (c) => showSheet(c, deps))
    .post('/console/people/invitations', gate(deps, 'people.assign'), (c) => makeSheet(c, deps))
    .post('/console/people/:no{[0-9]{1,12}}/invite', gate(deps, 'people.assign'), (c) => makeInvite(c, deps))
    .post('/console/people/:no{[0-9]{1,12}}/invite/send', gate(deps, 'people.assign'), (c) =>
      sendInvite(c, deps),
    )
    .get('/console/people/:no{[0-9]{1,12}}', gate(deps, 'people.list'), (c) => showPerson(c, deps))
    .post('/console/people/:no{[0-9]{1,12}}', gate(deps, 'people.assign'), (c) => assignFromConsole(c, deps));
}
