/**
 * Every route of the officer API, tried with no token, a wrong token and ADMIN_TOKEN (the API's
 * one credential, which acts as an admin). Each row is a route as the app registers it with the
 * status the token gets; without the right token every route answers 401 and changes nothing.
 * A route the table does not list fails the test.
 */
import { describe, expect, it } from 'vitest';
import { createWorld, expectOneRowPerRoute, fingerprint, type World } from '../support/access-world.ts';
import { primaryKind } from '../support/databases.ts';
import { adminToken, useStack } from '../support/stack.ts';

let clock = new Date('2026-10-12T02:00:00Z');
const fixture = useStack({ now: () => clock });

interface Row {
  /** The route as the app registers it: method and path pattern. */
  route: string;
  /** Makes a fresh thing to act on; resolves to the path under /api and the JSON body. */
  make: (w: World) => Promise<{ path: string; json?: unknown }>;
  /** What the token gets. */
  status: number;
  /** Open to anyone (the API's description). */
  public?: boolean;
}

const at = (path: string, json?: unknown) => async () => ({ path, ...(json === undefined ? {} : { json }) });

const rows: Row[] = [
  { route: 'GET /api/openapi.json', make: at('/openapi.json'), status: 200, public: true },
  { route: 'GET /api/org-units', make: at('/org-units'), status: 200 },
  { route: 'POST /api/org-units', make: at('/org-units', { nameZh: '东区', nameEn: 'East' }), status: 201 },
  {
    route: 'PATCH /api/org-units/:id',
    make: async (w) => ({ path: `/org-units/${w.units.south}`, json: { nameZh: '南区工会' } }),
    status: 200,
  },
  { route: 'GET /api/people', make: at('/people'), status: 200 },
  { route: 'GET /api/people/:no', make: async (w) => ({ path: `/people/${await w.person()}` }), status: 200 },
  {
    route: 'PATCH /api/people/:no',
    make: async (w) => ({ path: `/people/${await w.person()}`, json: { orgUnitId: w.units.station } }),
    status: 200,
  },
  { route: 'GET /api/submissions.csv', make: at('/submissions.csv?sensitive=true'), status: 200 },
  { route: 'GET /api/congress-sessions', make: at('/congress-sessions'), status: 200 },
  {
    route: 'POST /api/congress-sessions',
    make: at('/congress-sessions', { nameZh: '第七届', nameEn: 'Seventh' }),
    status: 201,
  },
  {
    route: 'PATCH /api/congress-sessions/:id',
    make: async (w) => ({ path: `/congress-sessions/${await w.congressSession()}`, json: { open: true } }),
    status: 200,
  },
  {
    route: 'POST /api/submissions/:ref/extend',
    make: async (w) => ({
      path: `/submissions/${await w.registeredMotion()}/extend`,
      json: { days: 10, reason: '需要到各站调研' },
    }),
    status: 200,
  },
  { route: 'GET /api/schedules', make: at('/schedules'), status: 200 },
  {
    route: 'POST /api/schedules',
    make: at('/schedules', {
      name: '月度例会',
      cron: '0 9 1 * *',
      kind: 'message',
      payload: { channel: 'web', chatId: 'access-nobody', text: '月度例会' },
    }),
    status: 201,
  },
  {
    route: 'PATCH /api/schedules/:id',
    make: async (w) => ({ path: `/schedules/${(await w.schedule()).id}`, json: { enabled: false } }),
    status: 200,
  },
  {
    route: 'POST /api/schedules/:id/run',
    make: async (w) => ({ path: `/schedules/${(await w.schedule()).id}/run`, json: {} }),
    status: 202,
  },
  { route: 'GET /api/news', make: at('/news'), status: 200 },
  { route: 'GET /api/news/:id', make: async (w) => ({ path: `/news/${await w.news()}` }), status: 200 },
  {
    route: 'POST /api/news',
    make: at('/news', {
      topic: 'notice',
      title: '停水通知',
      body: '周六上午停水。',
      audience: { kind: 'everyone' },
      publishAt: '2026-10-20T01:00:00Z',
    }),
    status: 201,
  },
  {
    route: 'POST /api/news/:id/cancel',
    make: async (w) => ({ path: `/news/${await w.news()}/cancel`, json: {} }),
    status: 200,
  },
  { route: 'GET /api/polls', make: at('/polls'), status: 200 },
  {
    route: 'POST /api/polls',
    make: at('/polls', {
      question: '班车时间是否合适？',
      kind: 'single',
      options: ['合适', '不合适'],
      audience: { kind: 'everyone' },
      durationMinutes: 60,
    }),
    status: 201,
  },
  {
    route: 'GET /api/polls/series/:scheduleId',
    make: async (w) => ({ path: `/polls/series/${(await w.pollSeries()).id}` }),
    status: 200,
  },
  {
    route: 'GET /api/polls/:id',
    make: async (w) => ({ path: `/polls/${(await w.adminPoll()).id}` }),
    status: 200,
  },
  {
    route: 'GET /api/polls/:id/results',
    make: async (w) => ({ path: `/polls/${(await w.closedPoll()).id}/results` }),
    status: 200,
  },
  {
    // An officer's poll: the token, as an admin, may end anyone's.
    route: 'POST /api/polls/:id/close',
    make: async (w) => ({ path: `/polls/${(await w.officerPoll()).id}/close`, json: {} }),
    status: 200,
  },
  {
    route: 'POST /api/polls/:id/cancel',
    make: async (w) => ({ path: `/polls/${(await w.officerPoll()).id}/cancel`, json: {} }),
    status: 200,
  },
  { route: 'GET /api/submissions', make: at('/submissions'), status: 200 },
  { route: 'GET /api/satisfaction', make: at('/satisfaction'), status: 200 },
  {
    route: 'GET /api/submissions/:ref',
    make: async (w) => ({ path: `/submissions/${await w.help()}` }),
    status: 200,
  },
  {
    route: 'POST /api/submissions/:ref/status',
    make: async (w) => ({
      path: `/submissions/${await w.suggestion()}/status`,
      json: { status: 'in_review', reply: '已转安全科研究' },
    }),
    status: 200,
  },
];

let world: World | undefined;
const w = () => {
  if (!world) throw new Error('the world is made in the first test');
  return world;
};

const callers = {
  none: undefined,
  wrong: `Bearer not-${adminToken}`,
  token: `Bearer ${adminToken}`,
} as const;

async function call(route: string, made: { path: string; json?: unknown }, authorization?: string) {
  const method = route.split(' ')[0]!;
  return fixture.stack.request(`/api${made.path}`, {
    method,
    headers: {
      ...(authorization ? { authorization } : {}),
      ...(made.json !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(made.json !== undefined ? { body: JSON.stringify(made.json) } : {}),
  });
}

describe(`every officer API route, with no token, a wrong one and the token (${primaryKind})`, () => {
  it('sets up the cast', async () => {
    world = await createWorld(fixture.stack, fixture.database.db, () => clock);
  });

  it('has a row for every route the API registers, and none for a route it does not', () => {
    expectOneRowPerRoute(
      fixture.stack,
      '/api',
      rows.map((r) => r.route),
    );
  });

  it.each(rows)('$route', async (row) => {
    // Each route in a minute of its own: past ten wrong tokens a minute, a source is told to wait (429).
    clock = new Date(clock.getTime() + 61_000);
    const db = fixture.database.db;
    for (const [who, authorization] of Object.entries(callers)) {
      const made = await row.make(w());
      const before = await fingerprint(db);
      const res = await call(row.route, made, authorization);
      const expected = who === 'token' || row.public ? row.status : 401;
      expect(res.status, `${who}: ${made.path} ${await res.clone().text()}`).toBe(expected);
      if (expected === 401) {
        const body = (await res.json()) as {
          error: { code: string; message_zh: string; message_en: string };
        };
        expect(body.error.code).toBe('unauthorized');
        expect(body.error.message_zh).toMatch(/令牌/);
        expect(body.error.message_en).toMatch(/token/);
        expect(await fingerprint(db), `${who} changed something`).toBe(before);
      }
    }
  });
});
