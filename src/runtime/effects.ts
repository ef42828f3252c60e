/**
 * Every capability's effect handlers, composed: each effect type the flows declare has a handler
 * here, or this file does not compile. A handler is named once: two for one type are refused too.
 */
import type { EffectSpecs } from '../../flows/effects.ts';
import { consoleEffects } from '../console/effects.ts';
import { helpEffects } from '../domains/help/effects.ts';
import { itemEffects } from '../domains/items/effects.ts';
import { motionEffects } from '../domains/motions/effects.ts';
import { newsEffects } from '../domains/news/effects.ts';
import { peopleEffects } from '../domains/people/effects.ts';
import { pollEffects } from '../domains/polls/effects.ts';
import { scheduleEffects } from '../domains/schedules/effects.ts';
import type { EffectHandlers } from '../pipeline/effect-handlers.ts';

const sets = [
  itemEffects,
  helpEffects,
  motionEffects,
  peopleEffects,
  newsEffects,
  scheduleEffects,
  pollEffects,
  consoleEffects,
] as const;

/** The types handled by more than one capability (none may be). */
export function handledTwice(handlerSets: readonly object[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const set of handlerSets)
    for (const type of Object.keys(set)) (seen.has(type) ? twice : seen).add(type);
  return [...twice];
}

const twice = handledTwice(sets);
if (twice.length > 0) throw new Error(`effects handled twice: ${twice.join(', ')}`);

/** The sets' handlers as one type, so a type no set handles fails to compile below. */
type Merged<T extends readonly object[]> = T extends readonly [infer H, ...infer R extends readonly object[]]
  ? H & Merged<R>
  : unknown;

export const effectHandlers: EffectHandlers<EffectSpecs> = Object.assign({}, ...sets) as Merged<typeof sets>;
