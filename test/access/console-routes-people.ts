/**
 * The rows of the console's 人员与单位 routes for the route table (console-routes.test.ts): the
 * people, the units, the roster's import and export, and the invitations, all for admins alone;
 * and the row's shape, which the table shares.
 */
import type { World } from '../support/access-world.ts';

export type SignedIn = 'officerOther' | 'officerSame' | 'admin' | 'token';

/** A console route, how to make a thing to act on, and the status each caller gets. */
export interface Row {
  /** The route as the app registers it: method and path pattern. */
  route: string;
  /** Makes a fresh thing to act on; resolves to the URL and, for a form, its fields. */
  make: (w: World) => Promise<{ url: string; form?: Record<string, string> }>;
  expect: Record<SignedIn, number>;
  /** The request ends or changes the session: each attempt gets a fresh one. */
  fresh?: boolean;
}

type Expect = Row['expect'];
type Make = Row['make'];

export function peopleRows(h: {
  admins: (status: number) => Expect;
  page: (url: string) => Make;
  post: (url: string, form?: Record<string, string>) => Make;
}): Row[] {
  const { admins, page, post } = h;
  return [
    { route: 'GET /console/people', make: page('/console/people'), expect: admins(200) },
    { route: 'GET /console/people.csv', make: page('/console/people.csv'), expect: admins(200) },
    { route: 'GET /console/people/units', make: page('/console/people/units'), expect: admins(200) },
    { route: 'GET /console/people/roster', make: page('/console/people/roster'), expect: admins(200) },
    // A post without a file: refused with why, nothing held.
    { route: 'POST /console/people/roster', make: post('/console/people/roster'), expect: admins(400) },
    {
      route: 'GET /console/people/roster.xlsx',
      make: page('/console/people/roster.xlsx'),
      expect: admins(200),
    },
    {
      route: 'GET /console/people/roster.csv',
      make: page('/console/people/roster.csv'),
      expect: admins(200),
    },
    {
      route: 'GET /console/people/roster/:id',
      make: async (w) => ({ url: `/console/people/roster/${await w.heldRoster()}` }),
      expect: admins(200),
    },
    {
      route: 'POST /console/people/roster/:id',
      make: async (w) => ({ url: `/console/people/roster/${await w.heldRoster()}`, form: {} }),
      expect: admins(303),
    },
    // Asked for only; a server without a directory answers the same and nothing runs it.
    {
      route: 'POST /console/people/directory-sync',
      make: post('/console/people/directory-sync'),
      expect: admins(303),
    },
    {
      route: 'GET /console/people/invitations',
      make: page('/console/people/invitations'),
      expect: admins(200),
    },
    {
      route: 'POST /console/people/invitations',
      make: post('/console/people/invitations'),
      expect: admins(303),
    },
    {
      route: 'POST /console/people/:no{[0-9]{1,12}}/invite',
      make: async (w) => ({ url: `/console/people/${await w.rosterEntry()}/invite`, form: {} }),
      expect: admins(303),
    },
    {
      route: 'POST /console/people/:no{[0-9]{1,12}}/invite/send',
      make: async (w) => ({ url: `/console/people/${await w.rosterEntry()}/invite/send`, form: {} }),
      expect: admins(303),
    },
    {
      route: 'POST /console/people/units',
      make: post('/console/people/units', { nameZh: '西区', nameEn: 'West', parentId: '' }),
      expect: admins(200),
    },
    {
      route: 'POST /console/people/units/:id',
      make: async (w) => ({
        url: `/console/people/units/${w.units.south}`,
        form: { nameZh: '南区工会', nameEn: 'South union' },
      }),
      expect: admins(200),
    },
    {
      route: 'GET /console/people/:no{[0-9]{1,12}}',
      make: async (w) => ({ url: `/console/people/${await w.person()}` }),
      expect: admins(200),
    },
    {
      route: 'POST /console/people/:no{[0-9]{1,12}}',
      make: async (w) => ({
        url: `/console/people/${await w.person()}`,
        form: { role: 'delegate', unit: w.units.station },
      }),
      expect: admins(303),
    },
  ];
}
