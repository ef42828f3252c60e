/**
 * How a capability handles the effects its flows declare: one function per effect type, given
 * the message's transaction and what is known of the message. Each capability exports its
 * handlers (`src/domains/<name>/effects.ts`); src/pipeline/effects.ts composes them all.
 */
import type { Inbound } from '../../bots/core/messenger.ts';
import type { Db } from '../../db/handle.ts';
import type { EffectSpecSet } from '../../flows/effects.ts';
import type { Role } from '../../flows/engine/roles.ts';
import type { KindRules } from '../domains/items/kind-rules.ts';
import type { HelpAckHours, MotionRules } from '../kernel/config.ts';
import type { KeyRing } from '../kernel/crypto/sealed.ts';

export interface EffectScope {
  personId: string;
  inbound: Pick<Inbound, 'channel' | 'chat'>;
  now: Date;
  timeZone: string;
  keyRing: KeyRing;
  /** Hours within which an officer must acknowledge a help request. */
  helpAck: HelpAckHours;
  /** The person's role (officers' commands check what they may handle). */
  role: Role;
  motionRules: MotionRules;
  /** What each kind adds to a move beyond its lifecycle (src/domains/items/kind-rules.ts). */
  kindRules: KindRules;
  publicUrl: string;
  /** The largest photo or document taken (ATTACHMENT_MAX_MB). */
  fileMaxBytes: number;
  /** Says the person wrote an item as its author (filed or rated it), which may be anonymous. */
  authorWrote(): void;
}

/** The handlers of a set of effect declarations: a missing one does not compile. */
export type EffectHandlers<S extends EffectSpecSet<S>> = {
  [K in keyof S & string]: (
    tx: Db,
    effect: { type: K } & S[K]['effect'],
    scope: EffectScope,
  ) => Promise<S[K]['result']>;
};
