/**
 * 定时/schedules (admins): list schedules, pause, resume or run one by its number, and create a
 * message to this chat on a cron ("定时 新建 30 8 * * 1-5 今天安全例会"). 摘要/digest (officers and
 * admins): see, move, stop or resume one's own daily digest ("摘要 07:45", "摘要 关闭").
 */
import type { Outbound } from '../../bots/core/messenger.ts';
import { formatTime, type L10n, type Lang, t } from '../../kernel/l10n.ts';
import { normalizeText } from '../../kernel/text.ts';
import { rolesFor } from '../access/rules.ts';
import type { CommandDef, FlowContext } from '../engine/types.ts';
import { finish, finishWith } from '../engine/types.ts';
import type { ScheduleBrief } from './schedule-effects.ts';

const text = {
  title: { zh: '定时任务', en: 'Schedules' },
  digestTitle: { zh: '每日摘要', en: 'Daily digest' },
  none: { zh: '还没有定时任务。', en: 'There are no schedules yet.' },
  usage: {
    zh: '用法：\n定时 —— 查看全部\n定时 暂停 编号 / 定时 启用 编号 / 定时 执行 编号\n定时 新建 分 时 日 月 周 内容，如“定时 新建 30 8 * * 1-5 今天安全例会”（发到本聊天）',
    en: 'Usage:\nschedules — list\nschedules pause <no.> / resume <no.> / run <no.>\nschedules new <min> <hour> <day> <month> <weekday> <text>, e.g. "schedules new 30 8 * * 1-5 Safety meeting today" (sent to this chat)',
  },
  notFound: (no: number) => ({
    zh: `没有编号为 ${no} 的定时任务。`,
    en: `No schedule has the number ${no}.`,
  }),
  badCron: (detail: string) => ({
    zh: `定时表达式有误：${detail}`,
    en: `The cron expression is wrong: ${detail}`,
  }),
  never: { zh: '这个定时表达式永远不会触发。', en: 'This cron expression never fires.' },
  paused: { zh: '已暂停', en: 'Paused' },
  resumed: { zh: '已启用', en: 'Resumed' },
  queued: { zh: '将在一分钟内执行一次', en: 'Runs once within a minute' },
  created: { zh: '已新建', en: 'Created' },
  on: { zh: '启用', en: 'on' },
  off: { zh: '暂停', en: 'paused' },
  next: { zh: '下次', en: 'next' },
  digestState: (time: string | null, on: boolean, next: string | null): L10n => ({
    zh: `${on ? '已开启' : '已关闭'}，${time ? `每天 ${time} 推送` : '按自定义时间推送'}${on && next ? `，下次：${next}` : ''}。\n发送“摘要 07:30”改时间，“摘要 关闭”或“摘要 开启”停止或恢复。`,
    en: `${on ? 'On' : 'Off'}, ${time ? `daily at ${time}` : 'on a custom schedule'}${on && next ? `, next: ${next}` : ''}.\nSend "digest 07:30" to change the time, "digest off" or "digest on" to stop or resume it.`,
  }),
  noDigest: {
    zh: '您的每日摘要还没有建立，一分钟后再试。',
    en: 'Your daily digest is not set up yet; try again in a minute.',
  },
  badTime: { zh: '时间请写成 时:分，如 07:30。', en: 'Write the time as hh:mm, e.g. 07:30.' },
};

function line(item: ScheduleBrief, lang: Lang, timeZone: string) {
  const state = item.enabled ? t(lang, text.on) : t(lang, text.off);
  const next =
    item.enabled && item.nextFireAt
      ? ` · ${t(lang, text.next)} ${formatTime(item.nextFireAt, timeZone)}`
      : '';
  return { label: `#${item.no} ${item.name}`, value: `${item.cron}（${item.timeZone}）· ${state}${next}` };
}

const one = (title: L10n, item: ScheduleBrief, ctx: FlowContext): Outbound => ({
  type: 'summary',
  tone: 'success',
  title: t(ctx.lang, title),
  fields: [line(item, ctx.lang, ctx.timeZone)],
});

export type ScheduleRequest =
  | { kind: 'list' }
  | { kind: 'act'; no: number; action: 'pause' | 'resume' | 'run' }
  | { kind: 'create'; cron: string; text: string }
  | { kind: 'usage' };

const actions: Record<string, 'pause' | 'resume' | 'run'> = {
  暂停: 'pause',
  停用: 'pause',
  pause: 'pause',
  启用: 'resume',
  恢复: 'resume',
  resume: 'resume',
  执行: 'run',
  立即执行: 'run',
  run: 'run',
};

/** At most `max` UTF-16 units (what the message payload allows), never splitting a character. */
function clipUnits(text: string, max: number): string {
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max) break;
    out += char;
  }
  return out;
}

/** "定时 新建 <five cron fields> <text>": the text as written, line breaks and all. */
const createPattern = /^\S+\s+(?:新建|new)\s+(\S+\s+\S+\s+\S+\s+\S+\s+\S+)\s+(\S[\s\S]*)$/i;

export function parseScheduleRequest(said: string): ScheduleRequest {
  const normalized = normalizeText(said);
  const words = normalized.split(/\s+/).slice(1);
  if (words.length === 0) return { kind: 'list' };
  const [verb, ...rest] = words;
  const action = actions[verb!.toLowerCase()];
  if (action && rest.length === 1 && /^#?\d{1,9}$/.test(rest[0]!))
    return { kind: 'act', no: Number(rest[0]!.replace('#', '')), action };
  const create = createPattern.exec(normalized);
  if (create)
    return {
      kind: 'create',
      cron: create[1]!.split(/\s+/).join(' '),
      text: clipUnits(create[2]!, 2000),
    };
  return { kind: 'usage' };
}

export const schedulesCommand: CommandDef = {
  name: 'schedules',
  title: text.title,
  words: ['定时', '定时任务', 'schedules', 'schedule'],
  roles: rolesFor('schedule.list'),
  matches: (said) => /^(定时|schedules?)\s/i.test(normalizeText(said)),
  run: (_ctx, said) => {
    const request = parseScheduleRequest(said);
    switch (request.kind) {
      case 'usage':
        return finishWith((ctx) => [{ type: 'text', text: t(ctx.lang, text.usage) }]);
      case 'list':
        return finish({ type: 'schedules.list' }, ({ items }, ctx) => [
          items.length === 0
            ? { type: 'text', text: t(ctx.lang, text.none) }
            : {
                type: 'summary',
                title: t(ctx.lang, text.title),
                fields: items.map((item) => line(item, ctx.lang, ctx.timeZone)),
                text: t(ctx.lang, text.usage),
              },
        ]);
      case 'act':
        return finish({ type: 'schedules.act', no: request.no, action: request.action }, (result, ctx) => {
          if (!result.ok) return [{ type: 'text', text: t(ctx.lang, text.notFound(request.no)) }];
          const title = { pause: text.paused, resume: text.resumed, run: text.queued }[request.action];
          return [one(title, result.item, ctx)];
        });
      case 'create':
        return finish({ type: 'schedules.create', cron: request.cron, text: request.text }, (result, ctx) => {
          if (result.ok) return [one(text.created, result.item, ctx)];
          const why = result.reason === 'never' ? text.never : text.badCron(result.detail);
          return [{ type: 'text', text: t(ctx.lang, why) }];
        });
    }
  },
};

export type DigestRequest =
  | { kind: 'show' }
  | { kind: 'time'; hour: number; minute: number }
  | { kind: 'enable'; on: boolean }
  | { kind: 'bad_time' };

export function parseDigestRequest(said: string): DigestRequest {
  const rest = normalizeText(said)
    .replace(/^(每日摘要|摘要|digest)\s*/i, '')
    .trim();
  if (!rest) return { kind: 'show' };
  if (/^(关闭|停止|off|stop)$/i.test(rest)) return { kind: 'enable', on: false };
  if (/^(开启|打开|恢复|on|start)$/i.test(rest)) return { kind: 'enable', on: true };
  const time = /^(\d{1,2})[:：](\d{2})$/.exec(rest);
  if (!time) return { kind: 'bad_time' };
  const hour = Number(time[1]);
  const minute = Number(time[2]);
  return hour < 24 && minute < 60 ? { kind: 'time', hour, minute } : { kind: 'bad_time' };
}

export const digestCommand: CommandDef = {
  name: 'digest',
  title: text.digestTitle,
  words: ['摘要', '每日摘要', 'digest'],
  roles: rolesFor('digest.own'),
  matches: (said) => /^(摘要|每日摘要|digest)\s/i.test(normalizeText(said)),
  run: (_ctx, said) => {
    const request = parseDigestRequest(said);
    if (request.kind === 'bad_time')
      return finishWith((ctx) => [{ type: 'text', text: t(ctx.lang, text.badTime) }]);
    const change =
      request.kind === 'time'
        ? { hour: request.hour, minute: request.minute }
        : request.kind === 'enable'
          ? { enabled: request.on }
          : null;
    return finish({ type: 'digest.settings', change }, (result, ctx) => {
      if (!result.ok) return [{ type: 'text', text: t(ctx.lang, text.noDigest) }];
      const next = result.item.nextFireAt ? formatTime(result.item.nextFireAt, ctx.timeZone) : null;
      return [
        {
          type: 'text',
          text: `${t(ctx.lang, text.digestTitle)}：${t(ctx.lang, text.digestState(result.time, result.item.enabled, next))}`,
        },
      ];
    });
  },
};
