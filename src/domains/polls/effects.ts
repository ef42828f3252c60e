/** The polls' side of the flows' effects: officers' poll commands in chat. */
import type { PollEffects } from '../../../flows/polls/effects.ts';
import type { EffectHandlers } from '../../pipeline/effect-handlers.ts';
import {
  cancelPollFromChat,
  closePollFromChat,
  createPollFromChat,
  listPollsForChat,
  pollResultsForChat,
} from './chat.ts';

export const pollEffects: EffectHandlers<PollEffects> = {
  'polls.list': (tx, effect) => listPollsForChat(tx, effect.limit),
  'polls.create': (tx, effect, scope) => createPollFromChat(tx, effect.draft, scope),
  'polls.results': (tx, effect) => pollResultsForChat(tx, effect.ref),
  'polls.close': (tx, effect, scope) => closePollFromChat(tx, effect.ref, scope),
  'polls.cancel': (tx, effect, scope) => cancelPollFromChat(tx, effect.ref, scope),
};
