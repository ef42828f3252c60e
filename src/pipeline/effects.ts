/**
 * The port the engine performs a message's effects through, inside that message's transaction:
 * the access rules checked once more, then the effect handed to its capability's handler (the
 * handlers of every capability, composed by the runtime: src/runtime/effects.ts).
 */
import type { Db } from '../../db/handle.ts';
import { effectAction } from '../../flows/access/effects.ts';
import { allows } from '../../flows/access/rules.ts';
import type { Effect, EffectResults, EffectSpecs } from '../../flows/effects.ts';
import type { EffectPort } from '../../flows/engine/types.ts';
import type { EffectHandlers, EffectScope } from './effect-handlers.ts';

/**
 * The port the engine performs a message's effects through, in that message's transaction, and
 * whether the person wrote an item as its author (filed or rated it), which may be anonymous.
 */
export function createEffectPort(
  tx: Db,
  scope: Omit<EffectScope, 'authorWrote'>,
  handlers: EffectHandlers<EffectSpecs>,
): EffectPort & { authorWrote(): boolean } {
  let authorWrote = false;
  const full: EffectScope = {
    ...scope,
    authorWrote() {
      authorWrote = true;
    },
  };
  return {
    async perform<E extends Effect>(effect: E): Promise<EffectResults[E['type']]> {
      // The engine refuses a command the person's role may not use, by the same rules; this is
      // the second lock, so no path to the store skips them.
      const action = effectAction(effect);
      if (!allows(scope.role, action)) throw new Error(`a ${scope.role} may not ${action} (${effect.type})`);
      // The handler of this effect's type takes this effect: TypeScript cannot see through the
      // union to say so, and the map's type above is what guarantees it.
      const handle = handlers[effect.type] as unknown as (
        tx: Db,
        effect: E,
        scope: EffectScope,
      ) => Promise<EffectResults[E['type']]>;
      return handle(tx, effect, full);
    },
    authorWrote: () => authorWrote,
  };
}
