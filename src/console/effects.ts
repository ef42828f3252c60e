/** The console's side of the flows' effects: a one-time sign-in link asked for in chat. */
import type { ConsoleEffects } from '../../flows/commands/console-effects.ts';
import type { EffectHandlers } from '../pipeline/effect-handlers.ts';
import { createSignInLink } from './sessions.ts';

export const consoleEffects: EffectHandlers<ConsoleEffects> = {
  async 'console.link'(tx, _effect, scope) {
    // The link signs its holder in; like every reply, the one carrying it is stored sealed.
    const token = await createSignInLink(tx, scope.personId, scope.now);
    return token ? { ok: true, url: `${scope.publicUrl}/console/signin/link?t=${token}` } : { ok: false };
  },
};
