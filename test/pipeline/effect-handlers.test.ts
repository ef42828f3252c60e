/**
 * Effects are declared by each flow and handled by each capability: a set of handlers that leaves
 * one of its effects out does not compile (the type check of `npm test` fails on the line marked
 * below if it did), no effect is handled by two capabilities, and the composed map hands each
 * effect to its own capability's handler.
 */
import { describe, expect, it } from 'vitest';
import type { PollEffects } from '../../flows/polls/effects.ts';
import { itemEffects } from '../../src/domains/items/effects.ts';
import { pollEffects } from '../../src/domains/polls/effects.ts';
import type { EffectHandlers } from '../../src/pipeline/effect-handlers.ts';
import { effectHandlers, handledTwice } from '../../src/runtime/effects.ts';

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

  it('are composed from each capability, none twice', () => {
    expect(effectHandlers['polls.list']).toBe(pollEffects['polls.list']);
    expect(effectHandlers['case.move']).toBe(itemEffects['case.move']);
    expect(handledTwice([pollEffects, itemEffects])).toEqual([]);
    expect(handledTwice([pollEffects, { 'polls.list': pollEffects['polls.list'] }])).toEqual(['polls.list']);
  });
});
