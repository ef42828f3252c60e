/**
 * 投票 as dialogue scripts: how requests read (settings, defaults, the audience by chat), the
 * rules a typed poll must keep (refused with the reason and nothing done), who may send it, and
 * what each reply says.
 */
import { describe, expect, it } from 'vitest';
import { isPollCommand, parsePollRequest } from '../../flows/polls/command.ts';
import { createDialogue, type DialoguePoll, textOf } from '../support/dialogue.ts';

const defaults = {
  allowComment: false,
  threshold: 5,
  commentThreshold: 10,
  remindAfterMinutes: null,
};

const refusal = (said: string, chatType: 'private' | 'group' = 'private') => {
  const request = parsePollRequest(said, chatType);
  return request.kind === 'refused' ? request.reason.zh : `not refused: ${request.kind}`;
};

describe('投票 requests', () => {
  it('reads a single-choice poll with the defaults: 3 days, k 5, no comments, no reminder', () => {
    expect(parsePollRequest('投票 新建 食堂晚餐几点开始合适？ | 17:30 | 18:00 | 18:30', 'private')).toEqual({
      kind: 'create',
      draft: {
        spec: {
          question: '食堂晚餐几点开始合适？',
          kind: 'single',
          options: ['17:30', '18:00', '18:30'],
          ...defaults,
        },
        audience: 'everyone',
        durationMinutes: 3 * 24 * 60,
      },
    });
  });

  it('sends to the group it was typed in, unless told everyone; a private chat means everyone', () => {
    const inGroup = parsePollRequest('投票 新建 去哪里春游 | 森林公园 | 湿地', 'group');
    expect(inGroup).toMatchObject({ kind: 'create', draft: { audience: 'here' } });
    const told = parsePollRequest('投票 新建 去哪里春游 | 森林公园 | 湿地 全体', 'group');
    expect(told).toMatchObject({ kind: 'create', draft: { audience: 'everyone' } });
  });

  it('reads the trailing settings in either language, with or without a bar of their own', () => {
    expect(
      parsePollRequest(
        '投票 新建 夜班补贴怎么发 | 按月 | 按次 天数=7 门槛=8 意见 意见门槛=12 提醒=24 全体',
        'group',
      ),
    ).toEqual({
      kind: 'create',
      draft: {
        spec: {
          question: '夜班补贴怎么发',
          kind: 'single',
          options: ['按月', '按次'],
          allowComment: true,
          threshold: 8,
          commentThreshold: 12,
          remindAfterMinutes: 24 * 60,
        },
        audience: 'everyone',
        durationMinutes: 7 * 24 * 60,
      },
    });
    expect(
      parsePollRequest('POLL NEW Lunch at? | 11:30 | 12:00 | days=2 K=3 comments everyone', 'group'),
    ).toEqual({
      kind: 'create',
      draft: {
        spec: {
          question: 'Lunch at?',
          kind: 'single',
          options: ['11:30', '12:00'],
          ...defaults,
          allowComment: true,
          threshold: 3,
        },
        audience: 'everyone',
        durationMinutes: 2 * 24 * 60,
      },
    });
    // Full-width bars and equals signs, as a Chinese keyboard types them; a comment threshold means comments.
    expect(parsePollRequest('投票 新建 班车时间 ｜ 7:00 ｜ 7:30 意见门槛＝15', 'private')).toMatchObject({
      kind: 'create',
      draft: { spec: { options: ['7:00', '7:30'], allowComment: true, commentThreshold: 15 } },
    });
  });

  it('reads rating and eNPS polls, which take no options', () => {
    expect(parsePollRequest('投票 评分 您对本月食堂伙食的满意度 意见', 'private')).toMatchObject({
      kind: 'create',
      draft: {
        spec: { question: '您对本月食堂伙食的满意度', kind: 'rating', options: [], allowComment: true },
      },
    });
    expect(parsePollRequest('poll enps Would you recommend working here? days=14', 'private')).toMatchObject({
      kind: 'create',
      draft: { spec: { kind: 'enps', options: [] }, durationMinutes: 14 * 24 * 60 },
    });
    expect(parsePollRequest('投票 推荐 您愿意推荐亲友来林场工作吗', 'group')).toMatchObject({
      kind: 'create',
      draft: { spec: { kind: 'enps' }, audience: 'here' },
    });
  });

  it('refuses a poll that breaks a rule, saying which', () => {
    expect(refusal('投票 新建 只有一个选项 | 同意')).toBe('单选投票需要 2–10 个选项。');
    expect(refusal('投票 新建 没有选项')).toBe('单选投票需要 2–10 个选项。');
    expect(
      refusal(`投票 新建 太多选项 | ${Array.from({ length: 11 }, (_, i) => `选${i}`).join(' | ')}`),
    ).toBe('单选投票需要 2–10 个选项。');
    expect(refusal('投票 新建 重复 | 是 | 是')).toBe('选项不能重复。');
    expect(refusal('投票 新建 门槛太低 | 是 | 否 门槛=2')).toBe('公布门槛不能低于 3 人。');
    expect(refusal('poll new Too low | yes | no k=2')).toBe('公布门槛不能低于 3 人。');
    expect(refusal('投票 新建 意见门槛太低 | 是 | 否 意见 意见门槛=2')).toBe('公布门槛不能低于 3 人。');
    expect(refusal('投票 评分 评分不设选项 | 好 | 坏')).toBe('评分和推荐度投票不设选项。');
    expect(refusal('投票 新建 太久 | 是 | 否 天数=91')).toBe('截止时间必须晚于开始时间，且最长 90 天。');
    expect(refusal('投票 新建 提醒太晚 | 是 | 否 天数=3 提醒=72')).toBe('提醒时间必须早于截止时间。');
    expect(refusal('投票 新建 数值 | 是 | 否 门槛=五')).toContain('设置“门槛=五”有误');
    expect(refusal('投票 新建 零天 | 是 | 否 天数=0')).toContain('设置“天数=0”有误');
    expect(refusal('投票 新建 | 是 | 否')).toBe('请写出投票的问题。');
    expect(refusal('投票 评分 意见')).toBe('请写出投票的问题。');
    expect(refusal(`投票 新建 ${'问'.repeat(301)} | 是 | 否`)).toBe('问题最多 300 字。');
    expect(refusal(`投票 新建 选项太长 | ${'长'.repeat(61)} | 否`)).toBe('每个选项 1–60 字。');
    expect(refusal('投票 新建 空选项 | 是 | | 否')).toBe('每个选项 1–60 字。');
  });

  it('reads list, results, close and cancel by number or code, and falls back to the usage', () => {
    for (const list of ['投票', 'poll', 'polls', '', '投票 列表', 'poll list'])
      expect(parsePollRequest(list, 'private'), list).toEqual({ kind: 'list' });
    expect(parsePollRequest('投票 结果 3', 'private')).toEqual({ kind: 'results', ref: { no: 3 } });
    expect(parsePollRequest('投票 结果 #12', 'private')).toEqual({ kind: 'results', ref: { no: 12 } });
    expect(parsePollRequest('poll results k7q3', 'private')).toEqual({
      kind: 'results',
      ref: { code: 'K7Q3' },
    });
    expect(parsePollRequest('投票 结束 3', 'group')).toEqual({ kind: 'close', ref: { no: 3 } });
    expect(parsePollRequest('poll close 3', 'private')).toEqual({ kind: 'close', ref: { no: 3 } });
    expect(parsePollRequest('投票 撤销 K7Q3', 'private')).toEqual({ kind: 'cancel', ref: { code: 'K7Q3' } });
    for (const usage of [
      '投票 结果',
      '投票 结果 3 4',
      '投票 结果 第三个',
      '投票 乱说',
      '投票 新建',
      '投票 列表 全部',
    ])
      expect(parsePollRequest(usage, 'private'), usage).toEqual({ kind: 'usage' });
  });

  it('claims only its own verbs, leaving answers by poll code and form answers alone', () => {
    expect(isPollCommand('投票 新建 问题 | 是 | 否')).toBe(true);
    expect(isPollCommand('poll results 3')).toBe(true);
    expect(isPollCommand('投票 帮助')).toBe(true);
    expect(isPollCommand('投票 K7Q3 2')).toBe(false);
    expect(isPollCommand('投票 K7Q3')).toBe(false);
    expect(isPollCommand('投票结果应该公开')).toBe(false);
    expect(isPollCommand('投票 结果应该公开')).toBe(false);
  });
});

const closedPoll = (over: Partial<DialoguePoll> = {}): DialoguePoll => ({
  id: 'poll-7',
  no: 7,
  code: 'M4X9',
  question: '食堂晚餐几点开始合适？',
  kind: 'single',
  options: ['17:30', '18:00'],
  allowComment: true,
  opensAt: '2026-02-20T01:00:00.000Z',
  closesAt: '2026-02-23T01:00:00.000Z',
  threshold: 5,
  commentThreshold: 3,
  status: 'closed',
  results: {
    answers: 6,
    shown: true,
    counts: { '1': 2, '2': 4 },
    score: null,
    comments: ['晚一点好', '六点最合适', '无所谓'],
    commentCount: 3,
    segments: null,
  },
  ...over,
});

describe('投票 in chat', () => {
  it('is for officers and admins; others are refused and nothing is done', async () => {
    for (const role of ['staff', 'delegate'] as const) {
      const person = createDialogue(undefined, { role });
      expect(textOf(await person.say('投票 新建 问题 | 是 | 否'))).toContain(
        '“匿名投票”仅限工会干部或管理员使用',
      );
      expect(textOf(await person.say('投票'))).toContain('仅限工会干部或管理员使用');
      expect(textOf(await person.say('投票 菜单'))).not.toContain('匿名投票');
      // An answer by a poll code that does not exist is not taken for the officers' command.
      expect(textOf(await person.say('投票 K7Q3 2'))).not.toContain('仅限');
      expect(person.effects).toEqual([]);
    }
    const officer = createDialogue(undefined, { role: 'officer' });
    expect(textOf(await officer.say('菜单'))).toContain('匿名投票');
  });

  it('creates, lists, refuses results while open, closes early and then shows what may be shown', async () => {
    const officer = createDialogue(undefined, { role: 'officer' });
    expect(textOf(await officer.say('投票'))).toContain('还没有投票');

    const created = textOf(
      await officer.say('投票 新建 食堂晚餐几点开始合适？ | 17:30 | 18:00 | 18:30 提醒=24'),
    );
    expect(created).toContain('已新建匿名投票 #1 · K7QB');
    expect(created).toContain('发给: 全体职工');
    expect(created).toContain('截止时间: 2026-03-05 09:00');
    expect(created).toContain('公布门槛: 5 人');
    expect(created).toContain('意见: 不收集');
    expect(created).toContain('开始 24 小时后提醒');
    expect(created).toContain('投票 结果 1');

    const list = textOf(await officer.say('投票'));
    expect(list).toContain('#1 · K7QB · 进行中: 食堂晚餐几点开始合适？（2026-03-05 09:00 截止）');
    expect(list).toContain('投票 新建 问题');

    const whileOpen = textOf(await officer.say('投票 结果 1'));
    expect(whileOpen).toContain('投票结束后才能查看结果');
    expect(whileOpen).not.toContain('作答人数');
    expect(textOf(await officer.say('投票 结果 9'))).toContain('没有投票 #9');

    expect(textOf(await officer.say('投票 结束 1'))).toContain('已提前结束投票 #1 · K7QB');
    expect(textOf(await officer.say('投票 结束 1'))).toContain('只有进行中的投票可以提前结束');
    expect(textOf(await officer.say('投票 撤销 K7QB'))).toContain('只有尚未结束的投票可以撤销');
    const results = textOf(await officer.say('poll results 1'));
    expect(results).toContain('投票结果 · K7QB');
    expect(results).toContain('作答人数不足 5 人');
    expect(results).not.toMatch(/作答人数: \d/);

    expect(officer.effects.map((e) => e.type)).toEqual([
      'polls.list',
      'polls.create',
      'polls.list',
      'polls.results',
      'polls.results',
      'polls.close',
      'polls.close',
      'polls.cancel',
      'polls.results',
    ]);
  });

  it('refuses a poll that breaks a rule before anything is done', async () => {
    const officer = createDialogue(undefined, { role: 'admin' });
    expect(textOf(await officer.say('投票 新建 只有一个选项 | 同意'))).toContain('单选投票需要 2–10 个选项');
    expect(textOf(await officer.say('投票 新建 门槛太低 | 是 | 否 门槛=2'))).toContain(
      '公布门槛不能低于 3 人',
    );
    expect(textOf(await officer.say('投票 结果'))).toContain('投票 结果 编号');
    expect(officer.effects).toEqual([]);
  });

  it('sends a poll typed in a group to that group', async () => {
    const officer = createDialogue(undefined, { role: 'officer', chatType: 'group' });
    expect(textOf(await officer.say('投票 评分 本月班车是否准时'))).toContain('发给: 本群');
    expect(officer.effects).toEqual([
      {
        type: 'polls.create',
        draft: {
          spec: { question: '本月班车是否准时', kind: 'rating', options: [], ...defaults },
          audience: 'here',
          durationMinutes: 3 * 24 * 60,
        },
      },
    ]);
  });

  it('lets only the officer who started a poll, or an admin, close or cancel it', async () => {
    const open = closedPoll({ status: 'open', results: undefined });
    const officer = createDialogue(undefined, { role: 'officer', polls: [open] });
    expect(textOf(await officer.say('投票 结束 7'))).toContain('只有发起这项投票的干部或管理员');
    expect(textOf(await officer.say('投票 撤销 7'))).toContain('只有发起这项投票的干部或管理员');
    const admin = createDialogue(undefined, { role: 'admin', polls: [open] });
    expect(textOf(await admin.say('投票 撤销 M4X9'))).toContain('已撤销投票 #7 · M4X9');
    expect(textOf(await admin.say('投票 结果 7'))).toContain('这项投票已撤销，没有结果');
  });

  it('shows officers the comments in private, and in a group only what the group is shown', async () => {
    const privately = textOf(
      await createDialogue(undefined, { role: 'officer', polls: [closedPoll()] }).say('投票 结果 7'),
    );
    expect(privately).toContain('作答人数: 6');
    expect(privately).toContain('18:00: ███████░░░ 4 · 67%');
    expect(privately).toContain('· 六点最合适');
    const inGroup = textOf(
      await createDialogue(undefined, { role: 'officer', chatType: 'group', polls: [closedPoll()] }).say(
        '投票 结果 7',
      ),
    );
    expect(inGroup).toContain('作答人数: 6');
    expect(inGroup).not.toContain('六点最合适');
  });

  it('answers in English for someone who chose it', async () => {
    const officer = createDialogue(undefined, { role: 'officer' });
    await officer.say('English');
    const created = textOf(await officer.say('poll new Lunch at? | 11:30 | 12:00 k=3'));
    expect(created).toContain('Anonymous poll #1 · K7QB created');
    expect(created).toContain('Threshold: 3 answers');
    expect(textOf(await officer.say('poll new Lunch at? | 11:30'))).toContain(
      'A single-choice poll needs 2 to 10 options.',
    );
  });
});
