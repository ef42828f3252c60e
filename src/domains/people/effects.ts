/** The people's side of the flows' effects: a person's language and profile, and roles given in chat. */
import type { PeopleEffects } from '../../../flows/commands/people-effects.ts';
import { audit } from '../../pipeline/audit.ts';
import type { EffectHandlers } from '../../pipeline/effect-handlers.ts';
import { assignFromChat } from '../items/assign-from-chat.ts';
import { profileOf, publicProfile } from './directory.ts';
import { setLanguage } from './people.ts';

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
};
