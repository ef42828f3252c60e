/**
 * One WeChat login per account between two instances on one database, each with its own wechaty
 * (wechaty-puppet-mock) and its own outbox dispatcher: only the instance holding the lease starts
 * its puppet and sends WeChat rows; the other claims none. A lease left by an instance that
 * stopped renewing (a crash) is taken once it lapses, and a holder that stops gives it up at once.
 * (The same with real server processes and a SIGKILL: lease-process.test.ts.)
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { createWechatChannel } from '../../../bots/wechat/index.ts';
import { createWechatLink, type WechatLink } from '../../../bots/wechat/wechaty.ts';
import { queryRows } from '../../../db/handle.ts';
import { outbox } from '../../../db/schema/index.ts';
import { createLogger } from '../../../src/kernel/log.ts';
import { enqueue } from '../../../src/pipeline/outbox.ts';
import { keepWechatLease, type WechatLease } from '../../../src/runtime/wechat-lease.ts';
import { openTestDatabase, primaryKind, type TestDatabase } from '../../support/databases.ts';
import { eventually } from '../../support/eventually.ts';
import { createStack, type Stack, testKeyRing } from '../../support/stack.ts';

type Mocker = InstanceType<typeof mock.Mocker>;
const botId = 'wxid_tongxin_bot';

interface Instance {
  name: string;
  link: WechatLink;
  stack: Stack;
  lease: WechatLease;
  mocker: Mocker | null;
  botUser: ReturnType<Mocker['createContact']> | null;
  /** What this instance's bot said: to whom, and the text. */
  said: { to: string; text: string }[];
  logLines: string[];
}

let database: TestDatabase;
const instances: Instance[] = [];
/** The person every message goes to, known to every instance's mock WeChat under one id. */
const workerId = 'wxid_worker_lease';

function startInstance(name: string): Instance {
  const logLines: string[] = [];
  const log = createLogger('debug', (line) => logLines.push(line));
  const instance = { name, said: [], logLines, mocker: null, botUser: null } as unknown as Instance;
  instance.link = createWechatLink({
    puppet: () => {
      const mocker = new mock.Mocker();
      instance.botUser = mocker.createContact({ id: botId, name: '同心助手' });
      mocker.createContact({ id: workerId, name: '王师傅' });
      instance.mocker = mocker;
      return new PuppetMock({ mocker });
    },
    log,
    limits: { perChatPerSecond: 20, perMinute: 1000 },
    restartMs: 50,
  });
  const channel = createWechatChannel(instance.link, { sending: () => instance.lease?.holding() ?? false });
  instance.stack = createStack(database, { channels: [channel] });
  instance.lease = keepWechatLease({
    db: database.db,
    log,
    holder: name,
    // Hand-overs are forced below, so a long lease costs no time; it leaves room for a busy
    // machine's pauses, which would otherwise let a renewal come too late.
    ttlSeconds: 9,
    link: {
      start: async () => {
        await channel.start?.(instance.stack.services.intake);
        const bot = instance.link.bot();
        bot?.on('message', (message) => {
          if (message.self()) instance.said.push({ to: message.listener()?.id ?? '', text: message.text() });
        });
        instance.mocker!.login(instance.botUser!);
      },
      stop: () => instance.link.stop(),
    },
  });
  instances.push(instance);
  return instance;
}

const holders = () => instances.filter((i) => i.lease.holding());

beforeAll(async () => {
  database = await openTestDatabase(primaryKind);
});

afterAll(async () => {
  for (const instance of instances) await instance.lease.stop();
  await database?.close();
});

describe(`one WeChat login between two instances (${primaryKind})`, () => {
  it('waits for a lapsed holder, then lets one instance alone log in and send', async () => {
    // An instance that crashed holding the lease.
    await database.db.execute(
      sql`insert into leases (name, holder, expires_at)
          values ('wechat', 'crashed', clock_timestamp() + interval '1 hour')`,
    );
    const a = startInstance('instance-a');
    const b = startInstance('instance-b');
    // Neither takes it while it is held: both have tried, and wait.
    const waiting = (i: Instance) => i.logLines.some((l) => l.includes('"wechat.lease_waiting"'));
    await eventually(() => waiting(a) && waiting(b), 'both instances to find the lease held');
    expect(holders()).toHaveLength(0);
    expect(a.link.bot()).toBeNull();
    expect(b.link.bot()).toBeNull();
    // It lapses (as it would an hour on, the crashed instance renewing nothing).
    await database.db.execute(sql`update leases set expires_at = clock_timestamp() - interval '1 second'`);
    await eventually(() => holders().length === 1, 'one instance to take the lapsed lease');
    const [holder] = holders();
    const other = holder === a ? b : a;
    await eventually(() => holder!.link.target.ready(), 'the holder to log in');
    expect(other.link.bot()).toBeNull();

    await enqueue(database.db, testKeyRing, [
      { channel: 'wechat', chatId: workerId, message: { type: 'text', text: '第一条通知' } },
      { channel: 'wechat', chatId: workerId, message: { type: 'text', text: '第二条通知' } },
    ]);
    // The other instance claims nothing: the rows are not its to send.
    await other.stack.drain();
    const pending = await database.db
      .select({ status: outbox.status, attempts: outbox.attempts })
      .from(outbox);
    expect(pending).toEqual([
      { status: 'pending', attempts: 0 },
      { status: 'pending', attempts: 0 },
    ]);
    await holder!.stack.drain();
    await eventually(() => holder!.said.length === 2, 'both messages said by the holder');
    expect(holder!.said.map((s) => s.text)).toEqual(['第一条通知', '第二条通知']);
    expect(other.said).toEqual([]);
    // Still one holder, renewal after renewal (one every third of the lease).
    for (let beat = 0; beat < 2; beat++) {
      const [before] = await queryRows<{ expires: string }>(
        database.db,
        sql`select expires_at::text as expires from leases where name = 'wechat'`,
      );
      await eventually(
        async () => {
          const [now] = await queryRows<{ expires: string }>(
            database.db,
            sql`select expires_at::text as expires from leases where name = 'wechat'`,
          );
          return now!.expires !== before!.expires;
        },
        'the lease renewed',
        { everyMs: 250 },
      );
      expect(holders()).toEqual([holder]);
    }
  });

  it('hands the login over when the holder stops, and the new holder sends what waits', async () => {
    const [holder] = holders();
    const other = instances.find((i) => i !== holder)!;
    await holder!.lease.stop();
    expect(holder!.link.bot()).toBeNull();
    await eventually(() => other.lease.holding() && other.link.target.ready(), 'the other to log in');
    await enqueue(database.db, testKeyRing, [
      { channel: 'wechat', chatId: workerId, message: { type: 'text', text: '第三条通知' } },
    ]);
    await other.stack.drain();
    await eventually(() => other.said.length === 1, 'the message said by the new holder');
    const sent = await database.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.status, 'sent'));
    expect(sent).toHaveLength(3);
  });
});

describe(`a WeChat lease whose database stops answering (${primaryKind})`, () => {
  it('stops the puppet before the lease can lapse, though the renewal never answers', async () => {
    await database.db.execute(sql`delete from leases`);
    let hung = false;
    // The database as seen through a link that goes silent: statements never answer.
    const silent = new Proxy(database.db, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'execute' || typeof value !== 'function') return value;
        return (...args: unknown[]) =>
          hung ? new Promise(() => {}) : (value as (...a: unknown[]) => unknown).apply(target, args);
      },
    });
    const events: string[] = [];
    let running = false;
    const lease = keepWechatLease({
      db: silent,
      log: createLogger('debug', (line) => events.push(line)),
      holder: 'instance-silent',
      ttlSeconds: 12,
      link: {
        start: async () => {
          running = true;
        },
        stop: async () => {
          running = false;
        },
      },
    });
    try {
      await eventually(() => lease.holding() && running, 'the lease taken and the puppet started');
      hung = true;
      await eventually(() => !running, 'the puppet stopped');
      // By the database's clock the lease had not lapsed yet: no other instance could hold it.
      const [row] = await queryRows<{ lapsed: boolean }>(
        database.db,
        sql`select expires_at < clock_timestamp() as lapsed from leases where name = 'wechat'`,
      );
      expect(row).toEqual({ lapsed: false });
      expect(lease.holding()).toBe(false);
      expect(events.some((l) => l.includes('"wechat.lease_lost"') && l.includes('unrenewed'))).toBe(true);
    } finally {
      hung = false;
      await lease.stop();
    }
  });
});
