/**
 * 动态/news: the latest union news the person can read, each with a link to its page; and
 * 订阅/退订: turning topics on and off (everyone starts with all of them on).
 */
import type { Outbound } from '../../bots/core/messenger.ts';
import { formatTime, type Lang, t } from '../../kernel/l10n.ts';
import { encodeAction } from '../engine/actions.ts';
import type { CommandDef } from '../engine/types.ts';
import { finish, finishWith } from '../engine/types.ts';
import type { NewsBrief } from './effects.ts';
import { type NewsTopic, newsTopics, topicLabels, topicNamed } from './topics.ts';

const text = {
  title: { zh: '工会动态', en: 'Union news' },
  subscriptionsTitle: { zh: '订阅设置', en: 'Subscriptions' },
  none: { zh: '暂时还没有工会动态。', en: 'There is no union news yet.' },
  readMore: { zh: '阅读全文', en: 'Read more' },
  footer: {
    zh: '发送“订阅”可选择接收哪些栏目的推送。',
    en: 'Send "subscribe" to choose which topics are pushed to you.',
  },
  state: (lang: Lang, on: boolean) =>
    on ? t(lang, { zh: '✓ 已订阅', en: '✓ on' }) : t(lang, { zh: '✗ 已退订', en: '✗ off' }),
  ask: {
    zh: '以下是各栏目的推送状态。点按栏目即可订阅或退订；也可以发送“退订 法律知识”“订阅 全部”。',
    en: 'These are your topics. Tap one to turn it on or off, or send e.g. "unsubscribe legal", "subscribe all".',
  },
  unknownTopic: (word: string) => ({
    zh: `没有叫“${word}”的栏目。栏目有：工会新闻、劳模风采、通知公告、法律知识、活动报名。`,
    en: `There is no topic called "${word}". Topics: news, model workers, notices, legal, activities.`,
  }),
  changed: (on: boolean, what: string) => ({
    zh: on ? `已订阅：${what}。` : `已退订：${what}。以后这一栏目的动态不再推送给您，仍可发送“动态”查看。`,
    en: on
      ? `Subscribed: ${what}.`
      : `Unsubscribed: ${what}. It is no longer pushed to you; send "news" to read it.`,
  }),
  all: { zh: '全部栏目', en: 'all topics' },
};

const shown = 3;

/** One news item as a chat message in the reader's language. */
export function articleMessage(item: NewsBrief, lang: Lang, timeZone: string): Outbound {
  return {
    type: 'article',
    topic: `${t(lang, topicLabels[item.topic])} · ${formatTime(item.publishedAt, timeZone)}`,
    title: item.title,
    text: item.summary,
    url: item.url,
    readMore: t(lang, text.readMore),
  };
}

export const newsCommand: CommandDef = {
  name: 'news',
  title: text.title,
  words: ['动态', '工会动态', '新闻', 'news'],
  run: () =>
    finish({ type: 'news.latest', limit: shown }, ({ items }, ctx) => {
      if (items.length === 0) return [{ type: 'text', text: t(ctx.lang, text.none) }];
      return [
        ...items.map((item) => articleMessage(item, ctx.lang, ctx.timeZone)),
        { type: 'text', text: t(ctx.lang, text.footer) },
      ];
    }),
};

/** What 订阅 / 退订 asked for: the list, or one topic (or all) on or off. */
type SubscriptionRequest =
  | { kind: 'list' }
  | { kind: 'change'; topic: NewsTopic | 'all'; on: boolean }
  | { kind: 'unknown'; word: string };

const pattern = /^(订阅|退订|取消订阅|subscribe|unsubscribe)(?:\s*(.*))?$/is;

export function parseSubscription(said: string): SubscriptionRequest {
  const match = pattern.exec(said.trim());
  if (!match) return { kind: 'list' };
  const on = !/^(退订|取消订阅|unsubscribe)$/i.test(match[1]!);
  const rest = (match[2] ?? '').trim();
  // 订阅设置 is one of the command's words: the list, not a topic called 设置.
  if (!rest || /^(设置|settings)$/i.test(rest)) return { kind: 'list' };
  if (/^(全部|所有|all)$/i.test(rest)) return { kind: 'change', topic: 'all', on };
  const topic = topicNamed(rest);
  return topic ? { kind: 'change', topic, on } : { kind: 'unknown', word: rest.slice(0, 40) };
}

/**
 * Whether typed text is this command beyond its words. A known topic (or 全部) after the verb
 * is; an unknown word only when set apart by a space and short, as in "退订 星座". Anything else
 * that merely starts with 订阅 ("订阅号推送太频繁") is left alone: inside a form it is an answer,
 * and a command there would swallow it.
 */
function isSubscriptionText(said: string): boolean {
  const text = said.trim();
  const match = pattern.exec(text);
  if (!match) return false;
  const request = parseSubscription(text);
  if (request.kind !== 'unknown') return true;
  const rest = match[2] ?? '';
  return /^\s/.test(text.slice(match[1]!.length)) && rest.length <= 12 && !/\s/.test(rest);
}

export const subscribeCommand: CommandDef = {
  name: 'subscribe',
  title: text.subscriptionsTitle,
  words: ['订阅', '退订', '订阅设置', 'subscribe', 'unsubscribe', 'subscriptions'],
  matches: isSubscriptionText,
  run: (_ctx, said) => {
    const request = parseSubscription(said === 'subscribe' ? '订阅' : said);
    if (request.kind === 'unknown')
      return finishWith((ctx) => [{ type: 'text', text: t(ctx.lang, text.unknownTopic(request.word)) }]);
    const change = request.kind === 'change' ? { topic: request.topic, on: request.on } : null;
    return finish({ type: 'news.subscriptions', change }, ({ optedOut }, ctx) => {
      const list: Outbound = {
        type: 'choices',
        text: t(ctx.lang, text.ask),
        choices: newsTopics.map((topic) => {
          const on = !optedOut.includes(topic);
          const word = t('zh', topicLabels[topic]);
          return {
            label: `${t(ctx.lang, topicLabels[topic])} ${text.state(ctx.lang, on)}`,
            value: encodeAction({ k: 'cmd', c: 'subscribe', a: `${on ? '退订' : '订阅'} ${word}` }),
          };
        }),
      };
      if (!change) return [list];
      const what = change.topic === 'all' ? t(ctx.lang, text.all) : t(ctx.lang, topicLabels[change.topic]);
      return [{ type: 'text', text: t(ctx.lang, text.changed(change.on, what)) }, list];
    });
  },
};
