/**
 * 帮扶求助: the help requests of the units an officer handles (all for admins; a case of no unit
 * is the admins' alone), oldest first, with an overdue acknowledgement marked. The list shows
 * nothing sealed; one case's situation and contact are opened only through the audited read
 * (`viewCase`, which asks the access rules). Another unit's case is refused, and the refusal audited.
 * The list's CSV holds its columns only, scoped the same way, and the export is audited.
 * The pages live in console-list.ts and console-case.ts; this is their routes.
 */
import { Hono } from 'hono';
import { gate } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { messageCase, moveCase, showCase } from './console-case.ts';
import { exportCases, listPage } from './console-list.ts';

export function helpPages(deps: ConsoleDeps) {
  return new Hono<ConsoleEnv>()
    .get('/console/help', gate(deps, 'item.list'), (c) => listPage(c, deps))
    .get('/console/help.csv', gate(deps, 'item.list'), (c) => exportCases(c, deps))
    .get('/console/help/:ref', gate(deps, 'item.read'), (c) => showCase(c, deps))
    .post('/console/help/:ref/status', gate(deps, 'item.move'), (c) => moveCase(c, deps))
    .post('/console/help/:ref/message', gate(deps, 'item.move'), (c) => messageCase(c, deps));
}
