/**
 * The officers' daily digest and the admins' weekly summary as messages: pure functions of the
 * figures, in the reader's language. Nothing to say means no message (null): a digest with
 * nothing new, nothing due and no open help request is not sent, whatever the week's ratings.
 */
import type { Field, Outbound } from '../../bots/core/messenger.ts';
import { formatTime, type L10n, type Lang, t } from '../../kernel/l10n.ts';
import { type ItemKind, itemKinds, lifecycles } from '../lifecycles.ts';

export interface Satisfaction {
  rated: number;
  satisfied: number;
  mostly: number;
  dissatisfied: number;
}

export interface DigestData {
  since: string;
  until: string;
  newItems: { kind: string; count: number }[];
  deadlines: {
    referenceCode: string;
    kind: string;
    title: string;
    /** ack: a help request to acknowledge; answer: a motion to answer; cosign: a motion short of co-signers; stuck: a help request with no progress for a week. */
    what: 'ack' | 'answer' | 'cosign' | 'stuck';
    dueAt: string;
    overdue: boolean;
    /** A help request its author called 紧急: put first and marked. */
    urgent: boolean;
  }[];
  openHelp: {
    underOneDay: number;
    oneToThreeDays: number;
    threeToSevenDays: number;
    overSevenDays: number;
    /** Of those, how many their authors called 紧急. */
    urgent: number;
  };
  satisfaction: Satisfaction;
  /** Polls closed since the last digest, with what their thresholds let be shown. */
  polls?: {
    code: string;
    question: string;
    kind: 'single' | 'rating' | 'enps';
    shown: boolean;
    threshold: number;
    answers?: number;
    score?: number | null;
  }[];
}

export interface WeeklyData {
  since: string;
  until: string;
  items: { kind: string; created: number; closed: number }[];
  overdue: number;
  newsSent: number;
  satisfaction: Satisfaction;
}

const text = {
  digestTitle: (date: string) => ({ zh: `每日摘要 · ${date}`, en: `Daily digest · ${date}` }),
  weeklyTitle: (from: string, to: string) => ({
    zh: `每周汇总 · ${from} 至 ${to}`,
    en: `Weekly summary · ${from} to ${to}`,
  }),
  newItems: { zh: '新收事项', en: 'New items' },
  deadlines: { zh: '逾期或即将到期', en: 'Overdue or due soon' },
  openHelp: { zh: '待办求助（按时长）', en: 'Open help requests by age' },
  satisfaction: { zh: '近 7 天满意度', en: 'Satisfaction, last 7 days' },
  polls: { zh: '已结束的投票', en: 'Polls closed' },
  pollLine: (p: NonNullable<DigestData['polls']>[number]) => {
    if (!p.shown) {
      return {
        zh: `${p.code} ${p.question}：作答不足 ${p.threshold} 人，不公布结果`,
        en: `${p.code} ${p.question}: fewer than ${p.threshold} answered, no results`,
      };
    }
    const score =
      p.kind === 'enps' && p.score != null
        ? `，eNPS ${p.score > 0 ? '+' : ''}${p.score}`
        : p.kind === 'rating' && p.score != null
          ? `，平均 ${p.score.toFixed(2)}`
          : '';
    const scoreEn =
      p.kind === 'enps' && p.score != null
        ? `, eNPS ${p.score > 0 ? '+' : ''}${p.score}`
        : p.kind === 'rating' && p.score != null
          ? `, mean ${p.score.toFixed(2)}`
          : '';
    return {
      zh: `${p.code} ${p.question}：${p.answers} 人作答${score}`,
      en: `${p.code} ${p.question}: ${p.answers} answers${scoreEn}`,
    };
  },
  weekSatisfaction: { zh: '本周满意度', en: 'Satisfaction this week' },
  created: { zh: '新收', en: 'new' },
  closed: { zh: '办结', en: 'closed' },
  overdueCount: { zh: '逾期未办', en: 'Overdue' },
  newsSent: { zh: '发布动态', en: 'News sent' },
  overdue: { zh: '已逾期', en: 'overdue' },
  urgentMark: { zh: '【紧急】', en: '[Very urgent] ' },
  due: (time: string) => ({ zh: `${time} 到期`, en: `due ${time}` }),
  /** "BF-2026-0003 title: to acknowledge, overdue", with the reader's punctuation. */
  deadline: (head: string, what: string, when: string) => ({
    zh: `${head}：${what}，${when}`,
    en: `${head}: ${what}, ${when}`,
  }),
  what: {
    ack: { zh: '待受理', en: 'to acknowledge' },
    answer: { zh: '待答复', en: 'to answer' },
    cosign: { zh: '附议截止', en: 'co-signing ends' },
    stuck: { zh: '一周无进展', en: 'no progress for a week' },
  } satisfies Record<DigestData['deadlines'][number]['what'], L10n>,
  ages: {
    zh: (a: DigestData['openHelp']) =>
      `1 天内 ${a.underOneDay} · 1–3 天 ${a.oneToThreeDays} · 3–7 天 ${a.threeToSevenDays} · 7 天以上 ${a.overSevenDays}${a.urgent > 0 ? `（其中紧急 ${a.urgent}）` : ''}`,
    en: (a: DigestData['openHelp']) =>
      `<1 day ${a.underOneDay} · 1–3 days ${a.oneToThreeDays} · 3–7 days ${a.threeToSevenDays} · >7 days ${a.overSevenDays}${a.urgent > 0 ? ` (${a.urgent} very urgent)` : ''}`,
  },
  rates: {
    zh: (s: Satisfaction) =>
      `共 ${s.rated} 条：满意 ${s.satisfied}，基本满意 ${s.mostly}，不满意 ${s.dissatisfied}（满意率 ${percent(s)}）`,
    en: (s: Satisfaction) =>
      `${s.rated} ratings: satisfied ${s.satisfied}, mostly ${s.mostly}, dissatisfied ${s.dissatisfied} (${percent(s)} satisfied)`,
  },
  footer: {
    zh: '发送编号（如 BF-2026-0001）查看详情；发送“摘要 07:30”可改推送时间，“摘要 关闭”停止推送。',
    en: 'Send a reference (e.g. BF-2026-0001) for details; "digest 07:30" changes the time, "digest off" stops it.',
  },
};

const percent = (s: Satisfaction) =>
  s.rated === 0 ? '—' : `${Math.round(((s.satisfied + s.mostly) / s.rated) * 100)}%`;

const kindName = (kind: string, lang: Lang) =>
  (itemKinds as readonly string[]).includes(kind) ? t(lang, lifecycles[kind as ItemKind].name) : kind;

/** The date part of formatTime (YYYY-MM-DD). */
const dateOf = (iso: string, timeZone: string) => formatTime(iso, timeZone).slice(0, 10);

export function digestMessage(data: DigestData, lang: Lang, timeZone: string): Outbound | null {
  const fields: Field[] = [];
  const total = data.newItems.reduce((n, r) => n + r.count, 0);
  if (total > 0)
    fields.push({
      label: t(lang, text.newItems),
      value: data.newItems
        .map((r) => `${kindName(r.kind, lang)} ${r.count}`)
        .join(lang === 'zh' ? '，' : ', '),
    });
  if (data.deadlines.length > 0)
    fields.push({
      label: t(lang, text.deadlines),
      value: data.deadlines
        .map((d) =>
          t(
            lang,
            text.deadline(
              `${d.urgent ? t(lang, text.urgentMark) : ''}${d.referenceCode} ${d.title}`,
              t(lang, text.what[d.what]),
              d.overdue ? t(lang, text.overdue) : t(lang, text.due(formatTime(d.dueAt, timeZone))),
            ),
          ),
        )
        .join('\n'),
    });
  const a = data.openHelp;
  if (a.underOneDay + a.oneToThreeDays + a.threeToSevenDays + a.overSevenDays > 0)
    fields.push({ label: t(lang, text.openHelp), value: text.ages[lang](a) });
  if (data.polls && data.polls.length > 0)
    fields.push({
      label: t(lang, text.polls),
      value: data.polls.map((p) => t(lang, text.pollLine(p))).join('\n'),
    });
  // The week's satisfaction is context, not news: on its own it would repeat for seven days.
  if (fields.length === 0) return null;
  if (data.satisfaction.rated > 0)
    fields.push({ label: t(lang, text.satisfaction), value: text.rates[lang](data.satisfaction) });
  return {
    type: 'summary',
    title: t(lang, text.digestTitle(dateOf(data.until, timeZone))),
    tone: data.deadlines.some((d) => d.overdue) ? 'warning' : 'info',
    fields,
    text: t(lang, text.footer),
  };
}

export function weeklyMessage(data: WeeklyData, lang: Lang, timeZone: string): Outbound | null {
  const fields: Field[] = data.items.map((r) => ({
    label: kindName(r.kind, lang),
    value: `${t(lang, text.created)} ${r.created} · ${t(lang, text.closed)} ${r.closed}`,
  }));
  if (data.overdue > 0) fields.push({ label: t(lang, text.overdueCount), value: String(data.overdue) });
  if (data.newsSent > 0) fields.push({ label: t(lang, text.newsSent), value: String(data.newsSent) });
  if (data.satisfaction.rated > 0)
    fields.push({ label: t(lang, text.weekSatisfaction), value: text.rates[lang](data.satisfaction) });
  if (fields.length === 0) return null;
  return {
    type: 'summary',
    title: t(lang, text.weeklyTitle(dateOf(data.since, timeZone), dateOf(data.until, timeZone))),
    tone: data.overdue > 0 ? 'warning' : 'info',
    fields,
  };
}
