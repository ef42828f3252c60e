/** What news in chat asks the server for, and what it gets back. */
import type { NewsTopic } from './topics.ts';

/** A published news item as chat shows it. */
export interface NewsBrief {
  id: string;
  topic: NewsTopic;
  title: string;
  summary: string;
  /** The item's page. */
  url: string;
  /** ISO time it went out. */
  publishedAt: string;
}

export interface NewsEffects {
  /** The latest news the person may read. */
  'news.latest': { effect: { limit: number }; result: { items: NewsBrief[] } };
  /** Turns a topic (or all) on or off for the person, when `change` is given; lists their opt-outs. */
  'news.subscriptions': {
    effect: { change: { topic: NewsTopic | 'all'; on: boolean } | null };
    result: { optedOut: NewsTopic[] };
  };
}
