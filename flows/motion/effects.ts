/** What the motion flow and co-signing ask the server to do, and what they get back. */
import type { MotionDraft } from './draft.ts';

export interface MotionEffects {
  'motion.create': {
    effect: { draft: MotionDraft };
    result: {
      referenceCode: string;
      cosignDueAt: string;
      needed: number;
      invited: number[];
      rejected: number[];
    };
  };
  /** A delegate answers an invitation to co-sign. */
  'motion.cosign': {
    effect: { referenceCode: string; accept: boolean };
    result:
      | { ok: true; accepted: number; needed: number }
      | { ok: false; reason: 'not_found' | 'not_invited' | 'own' | 'already' | 'closed' };
  };
}
