/**
 * Effects are declared by each flow and handled by each capability: a set of handlers that leaves
 * one of its effects out does not compile (the type check of `npm test` fails on the line marked
 * below if it did), and the composed port hands each effect to its own capability's handler.
 */
import { describe, expect, it } from 'vitest';
import type { PollEffects } from '../../flows/polls/effects.ts';
import { pollEffects } from '../../src/domains/polls/effects.ts';
import type { EffectHandlers } from '../../src/pipeline/effect-handlers.ts';

describe('effect handlers', () => {
  it('must handle every effect their declarations name', () => {
    const { 'polls.cancel': cancel, ...withoutCancel } = pollEffects;
    // @ts-expect-error a poll handler set without 'polls.cancel' is incomplete
    const incomplete: EffectHandlers<PollEffects> = withoutCancel;
    const complete: EffectHandlers<PollEffects> = { ...withoutCancel, 'polls.cancel': cancel };
    expect(Object.keys(incomplete)).not.toContain('polls.cancel');
    expect(Object.keys(complete).sort()).toEqual(
      ['polls.cancel', 'polls.close', 'polls.create', 'polls.list', 'polls.results'].sort(),
    );
  });
});
