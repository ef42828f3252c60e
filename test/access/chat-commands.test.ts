/**
 * Every chat flow and command, typed in the web chat by staff, a delegate, an officer of another
 * unit, an officer of the thing's unit (or who started the poll) and an admin. Each row says what
 * each of them gets: the command's answer, a refusal for their role, or a refusal because the
 * thing is not theirs; a refusal must change nothing. A flow or command the table does not list
 * fails the test, so none is added without deciding who may use it.
 */
import { describe, expect, it } from 'vitest';
import type { Effect } from '../../flows/effects.ts';
import type { Role } from '../../flows/engine/roles.ts';
import { commands, flows } from '../../flows/registry.ts';
import { createEffectPort } from '../../src/pipeline/effects.ts';
import { effectHandlers } from '../../src/runtime/effects.ts';
import { kindRulesOf } from '../../src/runtime/kind-rules.ts';
import { createWorld, fingerprint, type Member, type World } from '../support/access-world.ts';
import { primaryKind } from '../support/databases.ts';
import { bubbleText, useStack } from '../support/stack.ts';

const clock = new Date('2026-10-12T02:00:00Z');
// Each person here types far more than 30 messages within the one minute the clock stands at.
const fixture = useStack({ now: () => clock, env: { INBOUND_PER_MINUTE: '10000' } });

type ChatActor = 'staff' | 'delegate' | 'officerOther' | 'officerSame' | 'admin';
const actors: ChatActor[] = ['staff', 'delegate', 'officerOther', 'officerSame', 'admin'];

/** What a person gets: the answer (words it contains), or a refusal. */
type Outcome = { answer: string } | 'role' | 'not_yours';

interface Row {
  /** The flow's or command's name (flows/registry.ts). */
  name: string;
  /** What is typed, made fresh for each attempt (a new item, a new poll). */
  say: (w: World) => Promise<string> | string;
  expect: Record<ChatActor, Outcome>;
}

const all = (answer: string): Row['expect'] => ({
  staff: { answer },
  delegate: { answer },
  officerOther: { answer },
  officerSame: { answer },
  admin: { answer },
});
const officers = (answer: string): Row['expect'] => ({
  staff: 'role',
  delegate: 'role',
  officerOther: { answer },
  officerSame: { answer },
  admin: { answer },
});
const owners = (answer: string): Row['expect'] => ({ ...officers(answer), officerOther: 'not_yours' });
const admins = (answer: string): Row['expect'] => ({
  staff: 'role',
  delegate: 'role',
  officerOther: 'role',
  officerSame: 'role',
  admin: { answer },
});
const delegates = (answer: string): Row['expect'] => ({
  staff: 'role',
  delegate: { answer },
  officerOther: 'role',
  officerSame: 'role',
  admin: 'role',
});

const rows: Row[] = [
  { name: 'suggestion', say: () => '建议', expect: all('建议的标题') },
  { name: 'help', say: () => '求助', expect: all('您需要哪一类帮助') },
  { name: 'motion', say: () => '提案', expect: delegates('提案标题') },
  { name: 'mine', say: () => '我的', expect: all('') },
  { name: 'news', say: () => '动态', expect: all('工会动态') },
  { name: 'subscribe', say: () => '订阅', expect: all('推送状态') },
  { name: 'rate', say: () => '评价', expect: all('等待您评价') },
  { name: 'profile', say: () => '我的信息', expect: all('成员号') },
  { name: 'bind', say: () => '绑定', expect: all('绑定后') },
  { name: 'bind', say: () => '绑定 ABCD-EFGH-JKMN', expect: all('绑定码不对') },
  { name: 'bind_code', say: () => '绑定码', expect: all('分钟内') },
  { name: 'name', say: () => '我叫 老王', expect: all('以后称呼您“老王”') },
  {
    name: 'cosign',
    say: async (w) => `附议 ${await w.registeredMotion()} 同意`,
    // The delegate wrote it: the rules let them answer, the motion says they cannot co-sign their own.
    expect: delegates('不能附议自己的提案'),
  },
  { name: 'case', say: async (w) => `查看 ${await w.suggestion()}`, expect: owners('食堂增加夜班热餐') },
  { name: 'case', say: async (w) => `查看 ${await w.help()}`, expect: owners('医药费一时凑不齐') },
  // A status alone: the officer is asked for the reply first (another unit's officer is refused at once).
  {
    name: 'case_reply',
    say: async (w) => `办理 ${await w.suggestion()} 审核中`,
    expect: owners('请输入给提出人的答复'),
  },
  {
    name: 'handle',
    say: async (w) => `办理 ${await w.suggestion()} 审核中 已转安全科`,
    expect: owners('状态: 审核中'),
  },
  {
    name: 'handle',
    say: async (w) => `办理 ${await w.help()} 已受理 已收到，正在核实`,
    expect: owners('状态: 已受理'),
  },
  {
    name: 'case_message',
    say: async (w) => `答复 ${await w.suggestion()} 已转后勤处`,
    expect: owners('状态未改变'),
  },
  {
    name: 'case_message',
    say: async (w) => `提问 ${await w.help()} 请问家里几口人？`,
    expect: owners('已向提出人提问'),
  },
  // 回复 with no words opens the reply to that item; whose it is, is checked when it is sent.
  { name: 'item_reply', say: async (w) => `回复 ${await w.suggestion()}`, expect: all('请输入您对') },
  {
    name: 'reply',
    // Only the author's own item takes an addition: for anyone else there is no such item of theirs.
    say: async (w) => `补充 ${await w.suggestion()} 夜班人数约四十人`,
    expect: { ...all('没有找到您提交的'), staff: { answer: '已把您的话转给' } },
  },
  { name: 'assign', say: async (w) => `单位 ${await w.person()} 北区一站`, expect: admins('已更新') },
  { name: 'assign', say: async (w) => `角色 ${await w.person()} 职工代表`, expect: admins('已更新') },
  { name: 'digest', say: () => '摘要', expect: officers('每日摘要') },
  { name: 'polls', say: () => '投票', expect: officers('投票 新建 问题') },
  {
    name: 'polls',
    say: () => '投票 新建 班车时间是否合适？ | 合适 | 不合适',
    expect: officers('已新建匿名投票'),
  },
  { name: 'polls', say: async (w) => `投票 结果 ${(await w.closedPoll()).no}`, expect: officers('投票结果') },
  {
    name: 'polls',
    say: async (w) => `投票 结束 ${(await w.officerPoll()).no}`,
    expect: owners('已提前结束投票'),
  },
  {
    name: 'polls',
    say: async (w) => `投票 撤销 ${(await w.officerPoll()).no}`,
    expect: owners('已撤销投票'),
  },
  {
    name: 'polls',
    say: async (w) => `投票 撤销 ${(await w.adminPoll()).no}`,
    // A poll an admin started is no officer's to end.
    expect: { ...owners('已撤销投票'), officerSame: 'not_yours' },
  },
  { name: 'schedules', say: () => '定时', expect: admins('定时任务') },
  { name: 'schedules', say: async (w) => `定时 暂停 ${(await w.schedule()).no}`, expect: admins('已暂停') },
  {
    name: 'schedules',
    say: async (w) => `定时 执行 ${(await w.schedule()).no}`,
    expect: admins('将在一分钟内执行'),
  },
  { name: 'schedules', say: () => '定时 新建 30 8 * * 1-5 今天安全例会', expect: admins('已新建') },
  { name: 'console', say: () => '后台', expect: officers('打开后台') },
];

/** What each refusal says. */
const refusalWords: Record<'role' | 'not_yours', RegExp> = {
  role: /仅限.+使用/,
  not_yours: /不属于您负责的单位|只有发起这项投票的干部或管理员可以/,
};

let world: World | undefined;
const w = () => {
  if (!world) throw new Error('the world is made in the first test');
  return world;
};
const memberOf = (actor: ChatActor): Member => w()[actor];

describe(`every chat flow and command, by everyone (${primaryKind})`, () => {
  it('sets up the cast', async () => {
    world = await createWorld(fixture.stack, fixture.database.db, () => clock);
    for (const actor of actors) await memberOf(actor).visitor.replies();
  });

  it('has a row for every flow and command the bot offers, and none for one it does not', () => {
    const offered = [...flows, ...commands].map((entry) => entry.name);
    const listed = new Set(rows.map((r) => r.name));
    expect(
      offered.filter((name) => !listed.has(name)),
      'without a row',
    ).toEqual([]);
    expect(
      [...listed].filter((name) => !offered.includes(name)),
      'rows for nothing',
    ).toEqual([]);
  });

  it.each(rows)('$name', async (row) => {
    const db = fixture.database.db;
    for (const actor of actors) {
      const said = await row.say(w());
      const before = await fingerprint(db);
      const reply = bubbleText(await memberOf(actor).visitor.say(said));
      const outcome = row.expect[actor];
      if (typeof outcome === 'string') {
        expect(reply, `${actor}: ${said}`).toMatch(refusalWords[outcome]);
        expect(await fingerprint(db), `${actor}: ${said} changed something`).toBe(before);
      } else {
        expect(reply, `${actor}: ${said}`).not.toMatch(refusalWords.role);
        expect(reply, `${actor}: ${said}`).not.toMatch(refusalWords.not_yours);
        expect(reply, `${actor}: ${said}`).toContain(outcome.answer);
      }
      // Leave whatever flow was started, so the next row starts from nothing.
      await memberOf(actor).visitor.say('取消');
    }
  });

  it('refuses, at the port that performs them, effects a role may not cause, writing nothing', async () => {
    const db = fixture.database.db;
    const schedule = await w().schedule();
    const item = await w().suggestion();
    const poll = await w().officerPoll();
    const person = await w().person();
    const attempts: [ChatActor, Role, Effect][] = [
      ['staff', 'staff', { type: 'schedules.act', no: schedule.no, action: 'run' }],
      ['officerSame', 'officer', { type: 'schedules.act', no: schedule.no, action: 'pause' }],
      ['staff', 'staff', { type: 'case.move', referenceCode: item, said: '审核中' }],
      ['delegate', 'delegate', { type: 'polls.cancel', ref: { no: poll.no } }],
      ['officerSame', 'officer', { type: 'person.assign', memberNo: person, role: 'admin', unitName: null }],
      ['staff', 'staff', { type: 'console.link' }],
      [
        'admin',
        'admin',
        {
          type: 'motion.create',
          draft: { title: '题', reasons: '', measures: '', department: '', cosigners: [1] },
        },
      ],
    ];
    for (const [actor, role, effect] of attempts) {
      const before = await fingerprint(db);
      const performed = db.transaction(async (tx) =>
        createEffectPort(
          tx,
          {
            personId: memberOf(actor).id,
            role,
            inbound: { channel: 'web', chat: { id: `access-port-${actor}`, type: 'private' } },
            now: clock,
            timeZone: 'Asia/Shanghai',
            kindRules: kindRulesOf({ cosigners: 2, answerDays: 90 }),
            keyRing: fixture.stack.keyRing,
            helpAck: { normal: 24, urgent: 4 },
            motionRules: { cosigners: 2, cosignDays: 7, answerDays: 90 },
            publicUrl: 'http://localhost:8787',
            fileMaxBytes: 10 * 1_048_576,
          },
          effectHandlers,
        ).perform(effect),
      );
      await expect(performed, `${role}: ${effect.type}`).rejects.toThrow(/may not/);
      expect(await fingerprint(db), `${role}: ${effect.type}`).toBe(before);
    }
  });
});
