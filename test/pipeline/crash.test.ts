/**
 * Nothing acknowledged is lost and nothing is done twice: a real server process is killed with
 * SIGKILL after acknowledging messages but before processing them, then held and killed again in
 * the middle of the backlog (inside an event's open transaction), and restarted. Every message
 * must be answered exactly once, in order.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { queryRows } from '../../db/handle.ts';
import { freshPostgresUrl, primaryKind } from '../support/databases.ts';
import { eventually } from '../support/eventually.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';

const script = [
  '建议',
  '更衣室加装烘干机',
  '6',
  '冬季工作服潮湿难干，建议在各班组更衣室加装烘干机。',
  '跳过',
  '署名',
  // Nobody knows a new visitor's name: asked before a signed submission.
  '刘师傅',
  '提交',
  '我的',
];
const visitors = 20;
/** The event whose processing the server is frozen in: a quarter of the way through the backlog. */
const holdAt = 40;
const holdHook = pathToFileURL(join(import.meta.dirname, '..', 'support', 'hold-at-log.mjs')).href;

let env: Record<string, string>;
let cleanup: () => Promise<void>;
let server: ServerProcess | null = null;

beforeAll(async () => {
  if (primaryKind === 'postgres') {
    const fresh = await freshPostgresUrl();
    env = { DATABASE_URL: fresh.url };
    cleanup = fresh.drop;
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'tongxin-crash-'));
    env = { DATA_DIR: dir };
    cleanup = () => rm(dir, { recursive: true, force: true });
  }
  // Rows leased when the server dies are sent again once their lease ends. Short, so a restart
  // picks them up soon; not so short that a send on a busy machine outlives its timeout (60 % of it).
  env.OUTBOX_LEASE_SECONDS = '10';
});

afterAll(async () => {
  if (server) await server.kill('SIGKILL');
  await cleanup();
});

/** How far the inbox got, read straight from the database while no server runs. */
async function inboxProgress(): Promise<{ done: number; pending: number }> {
  const database = await openDatabase(
    env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL }
      : { kind: 'pglite', dataDir: env.DATA_DIR! },
  );
  try {
    const [row] = await queryRows<{ done: number; pending: number }>(
      database.db,
      sql`select count(*) filter (where status = 'done')::int as done,
                 count(*) filter (where status = 'pending')::int as pending from inbox`,
    );
    return { done: Number(row!.done), pending: Number(row!.pending) };
  } finally {
    await database.close();
  }
}

interface Visitor {
  cookie: string;
}

async function newVisitor(url: string): Promise<Visitor> {
  const res = await fetch(`${url}/chat`);
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]! };
}

async function history(url: string, visitor: Visitor) {
  const res = await fetch(`${url}/chat/messages?after=0`, { headers: { cookie: visitor.cookie } });
  const body = (await res.json()) as {
    messages: { direction: 'in' | 'out'; payload: Record<string, unknown> }[];
  };
  return body.messages;
}

describe(`crash safety on ${primaryKind}`, () => {
  it('answers every acknowledged message exactly once across SIGKILLs and restarts', async () => {
    // 1. Accept everything, process nothing, and die.
    server = await startServerProcess({ ...env, RUN_JOBS: 'false' });
    const people = await Promise.all(Array.from({ length: visitors }, () => newVisitor(server!.url)));
    await Promise.all(
      people.map(async (person, p) => {
        for (const [i, text] of script.entries()) {
          const res = await fetch(`${server!.url}/chat/messages`, {
            method: 'POST',
            headers: { cookie: person.cookie, 'content-type': 'application/json' },
            body: JSON.stringify({ id: `crash-${p}-${i}-abcdef`, text }),
          });
          expect(res.status).toBe(202);
        }
      }),
    );
    expect(await server.kill('SIGKILL')).toBe('SIGKILL');

    // 2. Restart with the jobs on, and freeze it inside the transaction of the 40th event it
    //    processes (its log line is written before the commit), then kill it there.
    server = await startServerProcess({
      ...env,
      LOG_LEVEL: 'debug',
      NODE_OPTIONS: `--import=${holdHook}`,
      HOLD_AT_LOG_EVENT: 'inbox.processed',
      HOLD_AT_LOG_COUNT: String(holdAt),
    });
    const held = server;
    await eventually(() => held.logs.some((line) => line.includes('"test.held"')), 'the server to be held');
    expect(held.logs.filter((line) => line.includes('"event":"inbox.processed"'))).toHaveLength(holdAt);
    await server.kill('SIGKILL');
    // The kill landed mid-backlog: events before it done, the held one and the rest still pending.
    const atKill = await inboxProgress();
    expect(atKill.done).toBeGreaterThan(0);
    expect(atKill.done).toBeLessThan(holdAt);
    expect(atKill.pending).toBe(visitors * script.length - atKill.done);

    // 3. Restart and let it finish.
    server = await startServerProcess(env);
    const url = server.url;
    // Asked every half second: each look is twenty requests to the server doing the work.
    await eventually(
      async () => {
        const all = await Promise.all(people.map((person) => history(url, person)));
        return all.every((messages) => messages.filter((m) => m.direction === 'out').length >= script.length);
      },
      'every message to be answered',
      { everyMs: 500 },
    );

    for (const person of people) {
      const messages = await history(url, person);
      expect(messages.filter((m) => m.direction === 'in').map((m) => m.payload.text)).toEqual(script);
      const replies = messages.filter((m) => m.direction === 'out').map((m) => JSON.stringify(m.payload));
      expect(replies).toHaveLength(script.length);
      expect(replies[0]).toContain('标题');
      expect(replies[1]).toContain('哪一类');
      expect(replies[5]).toContain('您怎么称呼');
      expect(replies[7]).toMatch(/JY-\d{4}-\d{4}/);
      const code = /JY-\d{4}-\d{4}/.exec(replies[7]!)![0];
      expect(replies[8]).toContain(code);
      expect(replies[8]).toContain('共 1 条');
    }

    // 4. Stop cleanly, so nothing is in flight, and read the database: every event done once,
    //    every reply sent once and shown once (a late second send would be counted here).
    expect(await server.kill('SIGTERM')).toBe(0);
    server = null;
    const database = await openDatabase(
      env.DATABASE_URL
        ? { kind: 'postgres', url: env.DATABASE_URL }
        : { kind: 'pglite', dataDir: env.DATA_DIR! },
    );
    try {
      const rows = await queryRows<{ what: string; n: number }>(
        database.db,
        sql`select 'inbox_done' as what, count(*)::int as n from inbox where status = 'done'
         union all select 'inbox_other', count(*)::int from inbox where status <> 'done'
         union all select 'outbox_sent', count(*)::int from outbox where status = 'sent'
         union all select 'outbox_other', count(*)::int from outbox where status <> 'sent'
         union all select 'web_out', count(*)::int from web_chat_messages where direction = 'out'
         union all select 'submissions', count(*)::int from submissions
         union all select 'codes', count(distinct reference_code)::int from submissions`,
      );
      const counts = Object.fromEntries(rows.map((r) => [r.what, Number(r.n)]));
      expect(counts).toEqual({
        inbox_done: visitors * script.length,
        inbox_other: 0,
        outbox_sent: visitors * script.length,
        outbox_other: 0,
        web_out: visitors * script.length,
        submissions: visitors,
        codes: visitors,
      });
    } finally {
      await database.close();
    }
  }, 240_000);
});
