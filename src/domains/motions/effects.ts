/** The motions' side of the flows' effects: filing one with its invitations, and answering one. */

import type { MotionEffects } from '../../../flows/motion/effects.ts';
import type { EffectHandlers } from '../../pipeline/effect-handlers.ts';
import { giveName } from '../people/people.ts';
import { answerInvitation, createMotion } from './store.ts';

export const motionEffects: EffectHandlers<MotionEffects> = {
  async 'motion.create'(tx, effect, scope) {
    if (effect.draft.authorName) await giveName(tx, scope.personId, effect.draft.authorName, scope.now);
    return createMotion(tx, effect.draft, {
      personId: scope.personId,
      channel: scope.inbound.channel,
      chatId: scope.inbound.chat.id,
      now: scope.now,
      timeZone: scope.timeZone,
      keyRing: scope.keyRing,
      ...scope.motionRules,
    });
  },
  'motion.cosign': (tx, effect, scope) =>
    answerInvitation(tx, {
      personId: scope.personId,
      referenceCode: effect.referenceCode,
      accept: effect.accept,
      now: scope.now,
      rules: scope.motionRules,
      keyRing: scope.keyRing,
    }),
};
