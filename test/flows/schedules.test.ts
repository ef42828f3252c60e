/**
 * 定时 and 摘要 as dialogue scripts, and the digest's messages as pure functions: how requests
 * read, who may send them, what each reply says, and that an empty digest or summary is no
 * message at all.
 */
import { describe, expect, it } from 'vitest';
import {
  type DigestData,
  digestMessage,
  type WeeklyData,
  weeklyMessage,
} from '../../flows/commands/digest.ts';
import { parseDigestRequest, parseScheduleRequest } from '../../flows/commands/schedules.ts';
import { createDialogue, textOf } from '../support/dialogue.ts';

const emptyDigest: DigestData = {
  since: '2026-11-30T00:30:00.000Z',
  until: '2026-12-01T00:30:00.000Z',
  newItems: [],
  deadlines: [],
  openHelp: { underOneDay: 0, oneToThreeDays: 0, threeToSevenDays: 0, overSevenDays: 0, urgent: 0 },
  satisfaction: { rated: 0, satisfied: 0, mostly: 0, dissatisfied: 0 },
};

const emptyWeek: WeeklyData = {
  since: '2026-11-30T01:00:00.000Z',
  until: '2026-12-07T01:00:00.000Z',
  items: [],
  overdue: 0,
  newsSent: 0,
  satisfaction: { rated: 0, satisfied: 0, mostly: 0, dissatisfied: 0 },
};

describe('定时 requests', () => {
  it('reads list, act and create, and falls back to the usage', () => {
    expect(parseScheduleRequest('定时')).toEqual({ kind: 'list' });
    expect(parseScheduleRequest('定时 暂停 3')).toEqual({ kind: 'act', no: 3, action: 'pause' });
    expect(parseScheduleRequest('定时 启用 #12')).toEqual({ kind: 'act', no: 12, action: 'resume' });
    expect(parseScheduleRequest('定时  立即执行   7 ')).toEqual({ kind: 'act', no: 7, action: 'run' });
    expect(parseScheduleRequest('schedules RUN 7')).toEqual({ kind: 'act', no: 7, action: 'run' });
    expect(parseScheduleRequest('定时 新建 30 8 * * 1-5 今天安全例会')).toEqual({
      kind: 'create',
      cron: '30 8 * * 1-5',
      text: '今天安全例会',
    });
    expect(parseScheduleRequest('schedule new */15  9-17 * * MON-FRI  Stretch   now')).toEqual({
      kind: 'create',
      cron: '*/15 9-17 * * MON-FRI',
      text: 'Stretch   now',
    });
    // The text as written, lines and all.
    expect(parseScheduleRequest('定时 新建 0 9 * * 1 周一例会\n地点：三楼会议室\n请带笔记本')).toMatchObject({
      text: '周一例会\n地点：三楼会议室\n请带笔记本',
    });
    for (const usage of [
      '定时 暂停',
      '定时 暂停 3 4',
      '定时 暂停 三',
      '定时 新建 30 8 * *',
      '定时 新建 30 8 * * *',
      '定时 乱说',
    ])
      expect(parseScheduleRequest(usage), usage).toEqual({ kind: 'usage' });
  });

  it('keeps a long text within the message limit without splitting a character', () => {
    const request = parseScheduleRequest(`定时 新建 0 9 * * * ${'📣'.repeat(1500)}`);
    expect(request.kind).toBe('create');
    const text = request.kind === 'create' ? request.text : '';
    expect(text.length).toBe(2000);
    expect(text.isWellFormed()).toBe(true);
  });

  it('is for admins only; others are refused and nothing is done', async () => {
    for (const role of ['staff', 'officer'] as const) {
      const person = createDialogue(undefined, { role });
      expect(textOf(await person.say('定时 暂停 3'))).toContain('“定时任务”仅限管理员使用');
      expect(person.effects).toEqual([]);
    }
  });

  it('answers an admin in words', async () => {
    const admin = createDialogue(undefined, { role: 'admin' });
    expect(textOf(await admin.say('定时'))).toContain('还没有定时任务');
    expect(textOf(await admin.say('定时 暂停 3'))).toContain('没有编号为 3 的定时任务');
    expect(textOf(await admin.say('定时 新建 0 0 31 2 * 永远不会'))).toContain('这个定时表达式永远不会触发');
    expect(textOf(await admin.say('定时 乱说'))).toContain('定时 新建 分 时 日 月 周 内容');
    expect(admin.effects).toEqual([
      { type: 'schedules.list' },
      { type: 'schedules.act', no: 3, action: 'pause' },
      { type: 'schedules.create', cron: '0 0 31 2 *', text: '永远不会' },
    ]);
  });
});

describe('摘要 requests', () => {
  it('reads show, a time of day, off and on', () => {
    expect(parseDigestRequest('摘要')).toEqual({ kind: 'show' });
    expect(parseDigestRequest('摘要 07:45')).toEqual({ kind: 'time', hour: 7, minute: 45 });
    expect(parseDigestRequest('每日摘要 7：05')).toEqual({ kind: 'time', hour: 7, minute: 5 });
    expect(parseDigestRequest('digest 23:59')).toEqual({ kind: 'time', hour: 23, minute: 59 });
    expect(parseDigestRequest('摘要 关闭')).toEqual({ kind: 'enable', on: false });
    expect(parseDigestRequest('DIGEST off')).toEqual({ kind: 'enable', on: false });
    expect(parseDigestRequest('摘要 开启')).toEqual({ kind: 'enable', on: true });
    expect(parseDigestRequest('digest on')).toEqual({ kind: 'enable', on: true });
    for (const bad of ['摘要 24:00', '摘要 07:60', '摘要 7:5', '摘要 明天早上', '摘要 0745'])
      expect(parseDigestRequest(bad), bad).toEqual({ kind: 'bad_time' });
  });

  it('is for officers and admins; staff are refused, and a bad time is explained', async () => {
    const staff = createDialogue();
    expect(textOf(await staff.say('摘要 07:45'))).toContain('“每日摘要”仅限');
    expect(staff.effects).toEqual([]);

    const officer = createDialogue(undefined, { role: 'officer' });
    expect(textOf(await officer.say('摘要 25:00'))).toContain('时间请写成 时:分');
    expect(officer.effects).toEqual([]);
    // The stand-in port has no digest yet: the officer is told to try again shortly.
    expect(textOf(await officer.say('摘要 07:45'))).toContain('一分钟后再试');
    expect(textOf(await officer.say('摘要 关闭'))).toContain('一分钟后再试');
    expect(officer.effects).toEqual([
      { type: 'digest.settings', change: { hour: 7, minute: 45 } },
      { type: 'digest.settings', change: { enabled: false } },
    ]);
  });
});

describe('digest messages', () => {
  it('are nothing when there is nothing to tell', () => {
    expect(digestMessage(emptyDigest, 'zh', 'Asia/Shanghai')).toBeNull();
    expect(weeklyMessage(emptyWeek, 'en', 'Asia/Shanghai')).toBeNull();
  });

  it('do not send the week’s satisfaction on its own every day', () => {
    const ratedOnly = {
      ...emptyDigest,
      satisfaction: { rated: 4, satisfied: 3, mostly: 0, dissatisfied: 1 },
    };
    expect(digestMessage(ratedOnly, 'zh', 'Asia/Shanghai')).toBeNull();
    // Alongside something new, it is there.
    const message = digestMessage(
      { ...ratedOnly, newItems: [{ kind: 'suggestion', count: 2 }] },
      'zh',
      'Asia/Shanghai',
    );
    expect(message).toMatchObject({
      type: 'summary',
      title: '每日摘要 · 2026-12-01',
      tone: 'info',
      fields: [
        { label: '新收事项', value: '合理化建议 2' },
        { label: '近 7 天满意度', value: '共 4 条：满意 3，基本满意 0，不满意 1（满意率 75%）' },
      ],
    });
  });

  it('warn about what is overdue, in the reader’s language and zone', () => {
    const message = digestMessage(
      {
        ...emptyDigest,
        deadlines: [
          {
            referenceCode: 'BF-2026-0003',
            kind: 'help_request',
            title: 'Daily hardship',
            what: 'ack',
            dueAt: '2026-11-30T20:00:00.000Z',
            overdue: true,
            urgent: false,
          },
          {
            referenceCode: 'TA-2026-0001',
            kind: 'motion',
            title: 'Heat allowance',
            what: 'answer',
            dueAt: '2026-12-03T04:00:00.000Z',
            overdue: false,
            urgent: false,
          },
        ],
        openHelp: { underOneDay: 0, oneToThreeDays: 1, threeToSevenDays: 0, overSevenDays: 2, urgent: 0 },
      },
      'en',
      'Asia/Shanghai',
    );
    expect(message).toMatchObject({
      title: 'Daily digest · 2026-12-01',
      tone: 'warning',
      fields: [
        {
          label: 'Overdue or due soon',
          value:
            'BF-2026-0003 Daily hardship: to acknowledge, overdue\nTA-2026-0001 Heat allowance: to answer, due 2026-12-03 12:00',
        },
        { label: 'Open help requests by age', value: '<1 day 0 · 1–3 days 1 · 3–7 days 0 · >7 days 2' },
      ],
    });
  });

  it('sum up a week with anything in it', () => {
    expect(weeklyMessage({ ...emptyWeek, newsSent: 1 }, 'zh', 'Asia/Shanghai')).toMatchObject({
      title: '每周汇总 · 2026-11-30 至 2026-12-07',
      tone: 'info',
      fields: [{ label: '发布动态', value: '1' }],
    });
    expect(
      weeklyMessage(
        { ...emptyWeek, items: [{ kind: 'motion', created: 1, closed: 0 }], overdue: 2 },
        'zh',
        'UTC',
      ),
    ).toMatchObject({
      tone: 'warning',
      fields: [
        { label: '职代会提案', value: '新收 1 · 办结 0' },
        { label: '逾期未办', value: '2' },
      ],
    });
  });
});
