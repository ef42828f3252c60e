/** The news' side of the flows' effects: the latest items, and a person's topics. */
import type { NewsEffects } from '../../../flows/news/effects.ts';
import type { EffectHandlers } from '../../pipeline/effect-handlers.ts';
import { changeSubscriptions, latestNews } from './store.ts';

export const newsEffects: EffectHandlers<NewsEffects> = {
  async 'news.latest'(tx, effect, scope) {
    return { items: await latestNews(tx, scope.personId, effect.limit, scope.publicUrl) };
  },
  async 'news.subscriptions'(tx, effect, scope) {
    return { optedOut: await changeSubscriptions(tx, scope.personId, effect.change, scope.now) };
  },
};
