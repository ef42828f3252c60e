/** The help requests' side of the flows' effects: filing one. */

import type { HelpEffects } from '../../../flows/help/effects.ts';
import type { EffectHandlers } from '../../pipeline/effect-handlers.ts';
import { giveName } from '../people/people.ts';
import { createHelpRequest } from './store.ts';

export const helpEffects: EffectHandlers<HelpEffects> = {
  async 'help.create'(tx, effect, scope) {
    if (effect.draft.authorName) await giveName(tx, scope.personId, effect.draft.authorName, scope.now);
    return createHelpRequest(tx, effect.draft, {
      personId: scope.personId,
      channel: scope.inbound.channel,
      chatId: scope.inbound.chat.id,
      now: scope.now,
      timeZone: scope.timeZone,
      keyRing: scope.keyRing,
      ackHours: scope.helpAck,
    });
  },
};
