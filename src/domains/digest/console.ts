/** 概览: new and overdue items, open help requests by age, satisfaction, poll results, and charts. */
import { html } from 'hono/html';
import { itemScope } from '../../../flows/access/rules.ts';
import { ratingLabels } from '../../../flows/commands/rating.ts';
import { isItemKind, lifecycles, statusLabel } from '../../../flows/lifecycles.ts';
import { answerLabel, answerValues } from '../../../flows/polls/kinds.ts';
import { categoryLabels, type SuggestionCategory } from '../../../flows/suggestion/categories.ts';
import { formatTime, type L10n, t } from '../../../kernel/l10n.ts';
import { chart } from '../../console/charts.ts';
import type { ConsoleDeps } from '../../console/context.ts';
import { type Html, page } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { dashboardData } from './dashboard-data.ts';

const text = {
  title: { zh: '概览', en: 'Dashboard' },
  newItems: { zh: '24 小时内新收', en: 'New in 24 hours' },
  deadlines: { zh: '逾期或即将到期', en: 'Overdue or due soon' },
  openHelp: { zh: '待办求助', en: 'Open help requests' },
  urgent: { zh: '紧急', en: 'Very urgent' },
  satisfaction: { zh: '近 7 天满意率', en: 'Satisfied, last 7 days' },
  byStatus: { zh: '事项状态', en: 'Items by status' },
  byCategory: { zh: '建议类别', en: 'Suggestions by category' },
  trend: { zh: '满意度（按周）', en: 'Satisfaction by week' },
  polls: { zh: '最近的投票结果', en: 'Latest poll results' },
  tooFew: { zh: '作答人数不足，不公布', en: 'Too few answers to show' },
  none: { zh: '暂无', en: 'None' },
  ages: { zh: '1 天内 / 1–3 天 / 3–7 天 / 7 天以上', en: '<1 / 1–3 / 3–7 / >7 days' },
} satisfies Record<string, L10n>;

/** 满意 green, 基本满意 blue, 不满意 red. */
const ratingColors = { 1: '#1a7f37', 2: '#0b62c4', 3: '#b3261e' } as const;

/** "n = 8 · 平均 4.00 / 5" or "n = 8 · eNPS +25": shown as the chart's legend. */
function scoreLine(kind: string, answers: number, score: number | null, lang: 'zh' | 'en'): string {
  if (score === null || kind === 'single') return `n = ${answers}`;
  if (kind === 'enps') return `n = ${answers} · eNPS ${score > 0 ? '+' : ''}${score}`;
  return `n = ${answers} · ${t(lang, { zh: '平均', en: 'mean' })} ${score.toFixed(2)} / 5`;
}

export async function dashboardPage(deps: ConsoleDeps, user: ConsoleUser): Promise<Html> {
  const lang = user.language;
  const data = await dashboardData(deps.db, itemScope(user.actor), deps.now(), deps.timeZone);
  const { digest } = data;
  const newCount = digest.newItems.reduce((n, r) => n + r.count, 0);
  const help = digest.openHelp;
  const rated = digest.satisfaction.rated;
  const satisfied =
    rated === 0
      ? '—'
      : `${Math.round(((digest.satisfaction.satisfied + digest.satisfaction.mostly) / rated) * 100)}%`;

  const statusLabels = data.byStatus.map(
    (r) =>
      `${isItemKind(r.kind) ? t(lang, lifecycles[r.kind].name) : r.kind} · ${t(lang, statusLabel(r.kind, r.status))}`,
  );
  const weeks = [...new Set(data.weeks.map((w) => w.week))];
  const pollCharts = data.polls.map((poll) => {
    const results = poll.results;
    if (!results?.shown || !results.counts) {
      return html`<div class="card"><h2>${poll.code} · ${poll.question}</h2><p class="muted">${t(lang, text.tooFew)}</p></div>`;
    }
    const counts = results.counts;
    return chart(`poll-${poll.no}`, `${poll.code} · ${poll.question}`, {
      type: 'bar',
      legend: true,
      labels: answerValues(poll).map((a) => answerLabel(poll, a)),
      datasets: [
        {
          label: scoreLine(poll.kind, results.answers, results.score ?? null, lang),
          data: answerValues(poll).map((a) => counts[String(a)] ?? 0),
        },
      ],
    });
  });

  const body = html`
<section class="cards" aria-label="${t(lang, text.title)}">
  <div class="card"><div class="muted">${t(lang, text.newItems)}</div><div class="figure" data-figure="new">${newCount}</div></div>
  <div class="card"><div class="muted">${t(lang, text.deadlines)}</div><div class="figure" data-figure="deadlines">${digest.deadlines.length}</div>
    ${digest.deadlines.slice(0, 5).map((d) => html`<div class="muted">${d.urgent ? html`<strong class="urgent" data-urgent>${t(lang, text.urgent)}</strong> ` : ''}<a href="/console/items/${d.referenceCode}">${d.referenceCode}</a> ${d.title} · ${formatTime(d.dueAt, deps.timeZone)}</div>`)}</div>
  <div class="card"><div class="muted">${t(lang, text.openHelp)}</div><div class="figure" data-figure="help">${help.underOneDay + help.oneToThreeDays + help.threeToSevenDays + help.overSevenDays}</div>
    <div class="muted">${t(lang, text.ages)}: ${help.underOneDay} / ${help.oneToThreeDays} / ${help.threeToSevenDays} / ${help.overSevenDays}</div>
    ${help.urgent > 0 ? html`<div><strong class="urgent" data-urgent>${t(lang, text.urgent)} ${help.urgent}</strong></div>` : ''}</div>
  <div class="card"><div class="muted">${t(lang, text.satisfaction)}</div><div class="figure" data-figure="satisfied">${satisfied}</div><div class="muted">n = ${rated}</div></div>
</section>
<section class="cards" style="margin-top:12px">
  ${chart('by-status', t(lang, text.byStatus), { type: 'bar', horizontal: true, labels: statusLabels, datasets: [{ label: t(lang, text.byStatus), data: data.byStatus.map((r) => r.n) }] })}
  ${chart('by-category', t(lang, text.byCategory), {
    type: 'bar',
    labels: data.byCategory.map((r) => {
      const label = categoryLabels[r.category as SuggestionCategory];
      return label ? t(lang, label) : r.category;
    }),
    datasets: [{ label: t(lang, text.byCategory), data: data.byCategory.map((r) => r.n) }],
  })}
  ${chart('satisfaction-trend', t(lang, text.trend), {
    type: 'bar',
    stacked: true,
    labels: weeks,
    datasets: ([1, 2, 3] as const).map((rating) => ({
      label: t(lang, ratingLabels[rating]),
      backgroundColor: ratingColors[rating],
      data: weeks.map((week) => data.weeks.find((w) => w.week === week && w.rating === rating)?.n ?? 0),
    })),
  })}
</section>
<h2 style="margin-top:16px">${t(lang, text.polls)}</h2>
<section class="cards">${pollCharts.length > 0 ? pollCharts : html`<p class="muted">${t(lang, text.none)}</p>`}</section>`;
  return page({
    title: text.title,
    user: { name: user.person?.displayName ?? '管理员 Admin', csrf: user.csrf, lang, role: user.role },
    path: '/console',
    body,
    scripts: ['/console/assets/chart.js', '/console/assets/console.js'],
  });
}
