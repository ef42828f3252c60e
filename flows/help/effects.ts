/** What the help flow asks the server to do, and what it gets back. */
import type { HelpDraft } from './draft.ts';

export interface HelpEffects {
  'help.create': {
    effect: { draft: HelpDraft };
    result: { referenceCode: string; status: string; createdAt: string; ackDueAt: string };
  };
}
