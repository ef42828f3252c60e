/** 工会动态 topics, what each is called, and the words people type for them. */
import type { L10n } from '../../kernel/l10n.ts';

export const newsTopics = ['news', 'model_worker', 'notice', 'legal', 'activity'] as const;
export type NewsTopic = (typeof newsTopics)[number];

export const topicLabels: Record<NewsTopic, L10n> = {
  news: { zh: '工会新闻', en: 'Union news' },
  model_worker: { zh: '劳模风采', en: 'Model workers' },
  notice: { zh: '通知公告', en: 'Notices' },
  legal: { zh: '法律知识', en: 'Legal knowledge' },
  activity: { zh: '活动报名', en: 'Activities' },
};

const topicWords: Record<NewsTopic, readonly string[]> = {
  news: ['工会新闻', '新闻', 'news'],
  model_worker: ['劳模风采', '劳模', 'model worker', 'model workers', 'model_worker'],
  notice: ['通知公告', '通知', '公告', 'notice', 'notices'],
  legal: ['法律知识', '法律', '普法', 'legal', 'law'],
  activity: ['活动报名', '活动', 'activity', 'activities'],
};

export const isNewsTopic = (value: string): value is NewsTopic =>
  (newsTopics as readonly string[]).includes(value);

/** The topic a person named, in either language; null when it is none of them. */
export function topicNamed(said: string): NewsTopic | null {
  const word = said.trim().toLowerCase();
  return newsTopics.find((topic) => topicWords[topic].includes(word)) ?? null;
}
