/**
 * Each kind of item's own rule for moves beyond its lifecycle, composed here so that the items'
 * capability calls them without importing any kind's capability. Only motions have one today.
 */
import type { KindRules } from '../domains/items/kind-rules.ts';
import { motionMoveRule } from '../domains/motions/rules.ts';
import type { MotionRules } from '../kernel/config.ts';

export const kindRulesOf = (motionRules: Pick<MotionRules, 'cosigners' | 'answerDays'>): KindRules => ({
  motion: motionMoveRule(motionRules),
});
