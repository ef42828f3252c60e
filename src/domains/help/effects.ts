/** The help requests' side of the flows' effects: filing one. */
import type { HelpEffects } from '../../../flows/help/effects.ts';
import type { EffectHandlers } from '../../pipeline/effect-handlers.ts';
import { createHelpRequest } from './store.ts';

export const helpEffects: EffectHandlers<HelpEffects> = {
  'help.create': (tx, effect, scope) =>
    createHelpRequest(tx, effect.draft, {
      personId: scope.personId,
      channel: scope.inbound.channel,
      chatId: scope.inbound.chat.id,
      now: scope.now,
      timeZone: scope.timeZone,
      keyRing: scope.keyRing,
      ackHours: scope.helpAck,
    }),
};
