/**
 * The people's side of the flows' effects: a person's language, name and profile, binding another
 * channel's account to them, and roles given in chat.
 */
import type { PeopleEffects } from '../../../flows/commands/people-effects.ts';
import { audit } from '../../pipeline/audit.ts';
import type { EffectHandlers } from '../../pipeline/effect-handlers.ts';
import { assignFromChat } from '../items/assign-from-chat.ts';
import { oneTimeCode, redeemCode } from './binding.ts';
import { profileOf, publicProfile } from './directory.ts';
import { giveName, setLanguage } from './people.ts';

export const peopleEffects: EffectHandlers<PeopleEffects> = {
  async 'person.language'(tx, effect, scope) {
    await setLanguage(tx, scope.personId, effect.language);
    await audit(tx, {
      at: scope.now,
      actorType: 'person',
      actorId: scope.personId,
      action: 'person.language',
      subjectType: 'person',
      subjectId: scope.personId,
      detail: { language: effect.language },
    });
    return { language: effect.language };
  },
  async 'person.profile'(tx, _effect, scope) {
    const profile = await profileOf(tx, { personId: scope.personId });
    if (!profile) throw new Error('the person of this message is gone');
    return { profile: publicProfile(profile) };
  },
  'person.assign': (tx, effect, scope) => assignFromChat(tx, scope, effect),
  async 'person.bind'(tx, effect, scope) {
    const outcome = await redeemCode(tx, scope.keyRing, {
      typed: effect.code,
      personId: scope.personId,
      channel: scope.inbound.channel,
      chatId: scope.inbound.chat.id,
      now: scope.now,
    });
    if (!outcome.ok) return outcome;
    // Anonymous items re-tagged by a merge are written again apart from it, after it commits.
    if (outcome.merged) scope.authorWrote();
    const profile = await profileOf(tx, { personId: outcome.person.id });
    if (!profile) throw new Error('the person just bound is gone');
    return { ok: true, profile: publicProfile(profile), merged: outcome.merged };
  },
  'person.bind_code': (tx, _effect, scope) => oneTimeCode(tx, scope.keyRing, scope.personId, scope.now),
  'person.name': (tx, effect, scope) => giveName(tx, scope.personId, effect.name, scope.now),
};
