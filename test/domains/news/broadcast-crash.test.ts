/**
 * A broadcast that dies halfway resumes where it stopped and sends no one a second message: a
 * real server process sends a news item to a few hundred Lark users through the stand-in (which
 * keeps the platform's frequency limits and refuses 5% of calls), is held with sends in flight
 * and killed with SIGKILL there, and is started again. The sends it had in flight reach the
 * platform after it died, unanswered, as a lost answer would. Checked at the stand-in: everyone
 * subscribed got exactly one message, and those who turned the topic off got none.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.ts';
import { channelIdentities, newsOptOuts, people } from '../../../db/schema/index.ts';
import { freshPostgresUrl, primaryKind } from '../../support/databases.ts';
import { eventually, gate } from '../../support/eventually.ts';
import { type StandIn, startLarkStandIn } from '../../support/lark-stand-in.ts';
import { type ServerProcess, startServerProcess } from '../../support/server-process.ts';

const recipients = 400;
const optedOut = 5;
const adminToken = 'broadcast-admin-token-0123456789';
const app = { appId: 'cli_broadcasttest01', appSecret: 'broadcast-secret-0123' };

let env: Record<string, string>;
let cleanup: () => Promise<void>;
let standIn: StandIn;
let server: ServerProcess | null = null;

const openDb = () =>
  openDatabase(
    env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL }
      : { kind: 'pglite', dataDir: env.DATA_DIR! },
  );

beforeAll(async () => {
  if (primaryKind === 'postgres') {
    const fresh = await freshPostgresUrl();
    env = { DATABASE_URL: fresh.url };
    cleanup = fresh.drop;
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'tongxin-broadcast-'));
    env = { DATA_DIR: dir };
    cleanup = () => rm(dir, { recursive: true, force: true });
  }
  standIn = await startLarkStandIn(app);
  Object.assign(standIn.faults, { rate: 0.05, kind: 'mixed', appPerSecond: 50, userPerSecond: 5 });
  Object.assign(env, {
    ADMIN_TOKEN: adminToken,
    LARK_APP_ID: app.appId,
    LARK_APP_SECRET: app.appSecret,
    LARK_VERIFICATION_TOKEN: 'broadcast-verification',
    LARK_API_BASE: standIn.url,
    LARK_RATE_APP_PER_MINUTE: '3000',
    // Rows leased when the server dies are sent again once their lease ends. Short, so a restart
    // picks them up soon; not so short that a send on a busy machine outlives its timeout (60 % of
    // it) and is retried with ever longer waits.
    OUTBOX_LEASE_SECONDS: '10',
  });

  // The staff directory, as a sync from Lark would leave it: people known by open_id only.
  const database = await openDb();
  await database.migrate();
  const rows = await database.db
    .insert(people)
    .values(Array.from({ length: recipients + optedOut }, (_, i) => ({ displayName: `职工${i + 1}` })))
    .returning({ id: people.id });
  await database.db
    .insert(channelIdentities)
    .values(
      rows.map((r, i) => ({ personId: r.id, channel: 'lark' as const, externalId: `ou_staff_${i + 1}` })),
    );
  await database.db
    .insert(newsOptOuts)
    .values(rows.slice(recipients).map((r) => ({ personId: r.id, topic: 'model_worker' })));
  await database.close();
});

afterAll(async () => {
  if (server) await server.kill('SIGKILL');
  await standIn?.close();
  await cleanup?.();
});

describe(`a broadcast killed halfway (${primaryKind})`, () => {
  it('resumes after a restart and sends everyone exactly one message', async () => {
    server = await startServerProcess(env);
    const published = await fetch(`${server.url}/api/news`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        topic: 'model_worker',
        title: '劳模风采｜检修班张师傅',
        body: '张师傅扎根一线 **二十年**，带出了三十多名技术骨干。',
        audience: { kind: 'everyone' },
      }),
    });
    expect(published.status).toBe(201);

    // Part of the way through, every send is held at the stand-in: the server is then stuck
    // mid-broadcast, with sends in flight, and is killed there.
    await eventually(() => standIn.sent.length >= 80, 'part of the broadcast');
    const held = gate();
    standIn.faults.hold = held.wait;
    const callsAtHold = standIn.calls.length;
    await eventually(
      () => standIn.calls.slice(callsAtHold).some((c) => c.path === '/open-apis/im/v1/messages'),
      'a send to be held in flight',
    );
    const beforeRestart = standIn.sent.length;
    await server.kill('SIGKILL');
    expect(beforeRestart).toBeLessThan(recipients);
    expect(standIn.sent.length).toBe(beforeRestart);
    // The held sends reach the platform now, with nobody left to read the answer.
    delete standIn.faults.hold;
    held.open();

    server = await startServerProcess(env);
    const url = server.url;
    // Everyone has it at the platform (watched here, without asking the server)...
    await eventually(
      () => new Set(standIn.sent.map((m) => m.receiveId)).size >= recipients,
      'every recipient to get the news',
      { timeoutMs: 180_000 },
    );
    // ...and the server says it is done: everyone queued and every delivery marked sent, so no
    // send is left to come (a row is sent again only while it is not yet marked). Asked gently:
    // the embedded database answering it is the one doing the sending.
    let progress = '';
    await eventually(
      async () => {
        const res = await fetch(`${url}/api/news`, { headers: { authorization: `Bearer ${adminToken}` } });
        const [item] = ((await res.json()) as { items: { status: string; queued: number; sent: number }[] })
          .items;
        progress = `${JSON.stringify(item)}, ${standIn.sent.length} at the platform`;
        return item?.status === 'sent' && item.sent === item.queued;
      },
      'the server to mark every delivery sent',
      { timeoutMs: 120_000, everyMs: 500 },
    ).catch((error: Error) => {
      throw new Error(`${error.message} (${progress})`);
    });

    const perReceiver = new Map<string, number>();
    for (const message of standIn.sent) {
      perReceiver.set(message.receiveId, (perReceiver.get(message.receiveId) ?? 0) + 1);
      expect(message.receiveIdType).toBe('open_id');
    }
    expect(perReceiver.size).toBe(recipients);
    expect([...perReceiver.values()].every((n) => n === 1)).toBe(true);
    for (let i = recipients + 1; i <= recipients + optedOut; i++)
      expect(perReceiver.has(`ou_staff_${i}`)).toBe(false);
    expect(JSON.stringify(standIn.sent[0]!.content)).toContain('劳模风采｜检修班张师傅');
    // The platform refused some calls (limits and injected faults) and they were sent again.
    expect(standIn.calls.some((c) => c.status === 429 || c.status === 500)).toBe(true);

    const list = await fetch(`${url}/api/news`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const [item] = ((await list.json()) as { items: { status: string; queued: number; sent: number }[] })
      .items;
    expect(item).toMatchObject({ status: 'sent', queued: recipients, sent: recipients });
  }, 360_000);
});
