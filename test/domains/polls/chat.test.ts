/**
 * 投票 through the real app: an officer starts a poll in the web chat, the poll job opens it and
 * staff answer by code; nothing is shown while it is open; closed early, its results show only
 * as the thresholds allow. Refused polls and non-officers write nothing; actions are audited.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, people, polls } from '../../../db/schema/index.ts';
import { createKeyRing, generateDataKey } from '../../../src/kernel/crypto/sealed.ts';
import { createEffectPort } from '../../../src/pipeline/effects.ts';
import { effectHandlers } from '../../../src/runtime/effects.ts';
import { kindRulesOf } from '../../../src/runtime/kind-rules.ts';
import { primaryKind } from '../../support/databases.ts';
import { bubbleText, useStack, verifiedVisitor, webPerson } from '../../support/stack.ts';

const fixture = useStack();
const api = (path: string, init: RequestInit & { json?: unknown } = {}) => fixture.stack.api(path, init);
const db = () => fixture.database.db;

async function officer(role: 'officer' | 'admin' = 'officer') {
  const made = await webPerson(fixture.stack);
  await api(`/people/${made.memberNo}`, { method: 'PATCH', json: { role } });
  return made;
}

/** An answer by code in the web chat: taken before the inbox, answered at once. */
async function vote(visitor: Awaited<ReturnType<typeof webPerson>>['visitor'], text: string) {
  const res = await visitor.post({ id: `vote-${crypto.randomUUID()}`, text });
  return (await res.json()) as { vote?: { recorded: boolean; text: string } };
}

const created = (reply: string) => {
  const match = /已新建匿名投票 #(\d+) · ([A-Z0-9]{4})/.exec(reply);
  if (!match) throw new Error(`no poll in: ${reply}`);
  return { no: Number(match[1]), code: match[2]! };
};

const auditOf = (action: string) => db().select().from(auditLog).where(eq(auditLog.action, action));

describe(`投票 in the web chat (${primaryKind})`, () => {
  it('refuses staff and polls that break a rule, writing nothing', async () => {
    const staff = await webPerson(fixture.stack);
    expect(bubbleText(await staff.visitor.say('投票 新建 食堂晚餐 | 17:30 | 18:00'))).toContain(
      '“匿名投票”仅限工会干部或管理员使用',
    );
    expect(bubbleText(await staff.visitor.say('投票'))).toContain('仅限工会干部或管理员使用');

    const { visitor } = await officer();
    expect(bubbleText(await visitor.say('投票 新建 只有一个选项 | 同意'))).toContain(
      '单选投票需要 2–10 个选项',
    );
    expect(bubbleText(await visitor.say('投票 新建 门槛太低 | 是 | 否 k=2'))).toContain(
      '公布门槛不能低于 3 人',
    );
    expect(bubbleText(await visitor.say('投票'))).toContain('还没有投票');
    expect(await db().select().from(polls)).toEqual([]);
    expect(await auditOf('poll.create')).toEqual([]);
  });

  it('creates a poll that the job opens; results are refused while open and shown after an early close', async () => {
    const { visitor, memberNo } = await officer();
    const voters = [
      await verifiedVisitor(fixture.stack),
      await verifiedVisitor(fixture.stack),
      await verifiedVisitor(fixture.stack),
    ];
    const reply = bubbleText(
      await visitor.say('投票 新建 食堂晚餐几点开始合适？ | 17:30 | 18:00 | 18:30 门槛=3 意见 意见门槛=3'),
    );
    const { no, code } = created(reply);
    expect(reply).toContain('发给: 全体职工');
    expect(reply).toMatch(/截止时间: \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(reply).toContain('公布门槛: 3 人');

    const [row] = await db().select().from(polls).where(eq(polls.no, no));
    const [me] = await db().select().from(people).where(eq(people.memberNo, memberNo));
    expect(row).toMatchObject({
      code,
      status: 'scheduled',
      kind: 'single',
      options: ['17:30', '18:00', '18:30'],
      allowComment: true,
      threshold: 3,
      commentThreshold: 3,
      audience: { kind: 'everyone' },
      createdBy: me!.id,
    });
    expect(row!.closesAt.getTime() - row!.opensAt.getTime()).toBe(3 * 24 * 3_600_000);
    const [audited] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'poll.create'), eq(auditLog.subjectId, row!.id)));
    expect(audited).toMatchObject({ actorType: 'officer', actorId: me!.id, subjectType: 'poll' });

    expect(bubbleText(await visitor.say(`投票 结果 ${no}`))).toContain('投票结束后才能查看结果');

    // The job opens it and posts it to everyone the bot can reach.
    expect(await fixture.stack.services.jobs.polls()).toBeGreaterThan(0);
    await fixture.stack.drain();
    for (const voter of voters) expect(bubbleText(await voter.visitor.replies())).toContain(code);
    expect(bubbleText(await visitor.say('投票'))).toContain(
      `#${no} · ${code} · 进行中: 食堂晚餐几点开始合适？`,
    );

    const answers = [`${code} 2 六点最合适`, `${code} 2 晚一点好`, `${code} 1 无所谓`];
    for (const [i, voter] of voters.entries())
      expect((await vote(voter.visitor, answers[i]!)).vote?.recorded).toBe(true);

    // Open: nothing about the answers, not even how many.
    const whileOpen = bubbleText(await visitor.say(`投票 结果 ${no}`));
    expect(whileOpen).toContain('投票结束后才能查看结果');
    expect(whileOpen).not.toContain('作答人数');

    expect(bubbleText(await visitor.say(`投票 结束 ${no}`))).toContain(`已提前结束投票 #${no} · ${code}`);
    const [closed] = await db().select().from(polls).where(eq(polls.no, no));
    expect(closed!.status).toBe('closed');
    expect(await auditOf('poll.close')).toMatchObject([{ subjectId: row!.id, actorId: me!.id }]);

    const results = bubbleText(await visitor.say(`投票 结果 ${code}`));
    expect(results).toContain(`投票结果 · ${code}`);
    expect(results).toContain('作答人数: 3');
    expect(results).toContain('18:00: ███████░░░ 2 · 67%');
    expect(results).toContain('· 六点最合适');
    expect(bubbleText(await visitor.say(`投票 结束 ${no}`))).toContain('只有进行中的投票可以提前结束');
  });

  it('below the threshold says only that too few answered', async () => {
    const { visitor } = await officer();
    const voter = await verifiedVisitor(fixture.stack);
    const { no, code } = created(bubbleText(await visitor.say('投票 评分 本月班车是否准时')));
    await fixture.stack.services.jobs.polls();
    await fixture.stack.drain();
    expect((await vote(voter.visitor, `${code} 4`)).vote?.recorded).toBe(true);
    await visitor.say(`投票 结束 ${no}`);
    const results = bubbleText(await visitor.say(`投票 结果 ${no}`));
    expect(results).toContain('作答人数不足 5 人');
    expect(results).not.toMatch(/作答人数: \d/);
    expect(results).not.toContain('平均分');
  });

  it('lets only the officer who started a poll, or an admin, close or cancel it', async () => {
    const starter = await officer();
    const other = await officer();
    const admin = await officer('admin');
    const { no, code } = created(
      bubbleText(await starter.visitor.say('投票 推荐 您愿意推荐亲友来林场工作吗')),
    );
    expect(bubbleText(await other.visitor.say(`投票 撤销 ${no}`))).toContain(
      '只有发起这项投票的干部或管理员',
    );
    expect(bubbleText(await other.visitor.say(`投票 结束 ${no}`))).toContain(
      '只有发起这项投票的干部或管理员',
    );
    expect(bubbleText(await admin.visitor.say(`投票 撤销 ${code}`))).toContain(`已撤销投票 #${no} · ${code}`);
    expect(bubbleText(await starter.visitor.say(`投票 结果 ${no}`))).toContain('这项投票已撤销，没有结果');
    const [row] = await db().select().from(polls).where(eq(polls.no, no));
    expect(row!.status).toBe('cancelled');
    expect(await auditOf('poll.cancel')).toMatchObject([{ subjectId: row!.id }]);
    // Cancelled before it opened: the job never posts it.
    expect(await fixture.stack.services.jobs.polls()).toBe(0);
  });

  it('sends a poll typed in a group chat to that group', async () => {
    const { memberNo } = await officer();
    const [me] = await db().select().from(people).where(eq(people.memberNo, memberNo));
    const scope = {
      personId: me!.id,
      role: 'officer' as const,
      inbound: { channel: 'lark' as const, chat: { id: 'oc_forest_station', type: 'group' as const } },
      now: new Date(),
      timeZone: 'Asia/Shanghai',
      keyRing: createKeyRing(generateDataKey()),
      helpAck: { normal: 24, urgent: 4 },
      motionRules: { cosigners: 2, cosignDays: 7, answerDays: 90 },
      kindRules: kindRulesOf({ cosigners: 2, answerDays: 90 }),
      publicUrl: 'http://localhost:8787',
      fileMaxBytes: 10 * 1_048_576,
    };
    const made = await db().transaction(async (tx) => {
      const port = createEffectPort(tx, scope, effectHandlers);
      const result = await port.perform({
        type: 'polls.create',
        draft: {
          spec: {
            question: '班组活动定在周几',
            kind: 'single',
            options: ['周六', '周日'],
            allowComment: false,
            threshold: 5,
            commentThreshold: 10,
            remindAfterMinutes: null,
          },
          audience: 'here',
          durationMinutes: 60,
        },
      });
      // Not left for the job: this test stack has no Lark to post it to.
      await port.perform({ type: 'polls.cancel', ref: { no: result.poll.no } });
      return result;
    });
    expect(made.audience).toBe('here');
    const [row] = await db().select().from(polls).where(eq(polls.no, made.poll.no));
    expect(row!.audience).toEqual({
      kind: 'chats',
      chats: [{ channel: 'lark', chatId: 'oc_forest_station' }],
    });
  });
});
