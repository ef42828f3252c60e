/**
 * The effects flows may declare, composed from each conversation's own declarations (its
 * `effects.ts`): a type, what it carries and what it returns. The engine hands them to an
 * `EffectPort`; the server handles each in the capability it belongs to, inside the message's
 * transaction. A new effect is declared beside its flow and handled beside its store; nothing here
 * changes but the list below.
 */
import type { ConsoleEffects } from './commands/console-effects.ts';
import type { ItemEffects } from './commands/item-effects.ts';
import type { PeopleEffects } from './commands/people-effects.ts';
import type { ScheduleEffects } from './commands/schedule-effects.ts';
import type { FileEffects } from './files/effects.ts';
import type { HelpEffects } from './help/effects.ts';
import type { MotionEffects } from './motion/effects.ts';
import type { NewsEffects } from './news/effects.ts';
import type { PollEffects } from './polls/effects.ts';
import type { SuggestionEffects } from './suggestion/effects.ts';

/** Every effect by its type: what it carries (`effect`) and what it returns (`result`). */
export type EffectSpecs = SuggestionEffects &
  HelpEffects &
  MotionEffects &
  ItemEffects &
  PeopleEffects &
  NewsEffects &
  ScheduleEffects &
  PollEffects &
  ConsoleEffects &
  FileEffects;

/** A set of declarations: effect types, each with what it carries and what it returns. */
export type EffectSpecSet<S> = { [K in keyof S]: { effect: object; result: unknown } };

/** The effects of a set of declarations, as flows declare them (`{ type, ...what it carries }`). */
export type EffectsOf<S extends EffectSpecSet<S>> = {
  [K in keyof S & string]: { type: K } & S[K]['effect'];
}[keyof S & string];

export type Effect = EffectsOf<EffectSpecs>;
export type EffectType = Effect['type'];
export type EffectResults = { [K in EffectType]: EffectSpecs[K]['result'] };
