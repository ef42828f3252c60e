/** The items' side of the flows' effects: filing a suggestion, a person's own items, rating, officers' cases. */

import type { Db } from '../../../db/handle.ts';
import type { ItemEffects } from '../../../flows/commands/item-effects.ts';
import type { FileEffects } from '../../../flows/files/effects.ts';
import { nextStatuses } from '../../../flows/lifecycles.ts';
import type { SuggestionEffects } from '../../../flows/suggestion/effects.ts';
import type { EffectHandlers, EffectScope } from '../../pipeline/effect-handlers.ts';
import { actorWithRole } from '../people/actors.ts';
import { giveName } from '../people/people.ts';
import { findCase, moveCase, viewCase } from './cases.ts';
import { holdFile } from './files.ts';
import { listAwaitingRating, rateSubmission } from './ratings.ts';
import { createSuggestion, getMine, listMine } from './store.ts';
import { authorWrites, officerWrites } from './thread.ts';

/** What an officer's case commands need: who they are, with their role, and the rules of motions. */
const officerOf = async (tx: Db, scope: EffectScope) => ({
  kindRules: scope.kindRules,
  actor: await actorWithRole(tx, scope.personId, scope.role),
  keyRing: scope.keyRing,
  now: scope.now,
  timeZone: scope.timeZone,
});

export const itemEffects: EffectHandlers<SuggestionEffects & ItemEffects & FileEffects> = {
  async 'file.hold'(tx, effect, scope) {
    const held = await holdFile(tx, scope.keyRing, { ...effect, personId: scope.personId });
    return held.ok ? held : { ...held, maxBytes: scope.fileMaxBytes };
  },
  async 'suggestion.create'(tx, effect, scope) {
    if (effect.draft.anonymous) scope.authorWrote();
    else if (effect.draft.authorName) await giveName(tx, scope.personId, effect.draft.authorName, scope.now);
    return createSuggestion(tx, effect.draft, {
      personId: scope.personId,
      channel: scope.inbound.channel,
      chatId: scope.inbound.chat.id,
      now: scope.now,
      timeZone: scope.timeZone,
      keyRing: scope.keyRing,
    });
  },
  'items.mine': (tx, effect, scope) => listMine(tx, scope.keyRing, scope.personId, effect.limit),
  async 'items.one'(tx, effect, scope) {
    return { item: await getMine(tx, scope.personId, effect.referenceCode, scope.keyRing) };
  },
  async 'item.rate'(tx, effect, scope) {
    scope.authorWrote();
    return rateSubmission(tx, scope.keyRing, {
      personId: scope.personId,
      ...effect,
      now: scope.now,
    });
  },
  async 'items.awaiting_rating'(tx, effect, scope) {
    return { items: await listAwaitingRating(tx, scope.keyRing, scope.personId, effect.limit) };
  },
  'case.view': async (tx, effect, scope) => viewCase(tx, effect.referenceCode, await officerOf(tx, scope)),
  'case.move': async (tx, effect, scope) => moveCase(tx, effect, await officerOf(tx, scope)),
  'case.message': async (tx, effect, scope) => officerWrites(tx, await officerOf(tx, scope), effect),
  'case.check': async (tx, effect, scope) => {
    const found = await findCase(tx, effect.referenceCode, await officerOf(tx, scope), 'item.move');
    if (!found.ok) return { ok: false, reason: found.reason === 'not_yours' ? 'not_yours' : 'not_found' };
    const { kind, status } = found.row.submission;
    const allowed = [...nextStatuses(kind, status)];
    return allowed.some((s) => s === effect.status)
      ? { ok: true }
      : { ok: false, reason: 'not_allowed', kind, from: status, allowed };
  },
  async 'item.message'(tx, effect, scope) {
    const outcome = await authorWrites(tx, scope.keyRing, {
      personId: scope.personId,
      ...effect,
      maxBytes: scope.fileMaxBytes,
      now: scope.now,
    });
    // The author's own words on an anonymous item are written apart from them, as its filing is.
    if (outcome.ok && outcome.anonymous) scope.authorWrote();
    if (outcome.ok) return { ok: true, referenceCode: outcome.referenceCode };
    return outcome;
  },
};
