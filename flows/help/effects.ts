/** What the help flow asks the server to do, and what it gets back. */
import type { HelpDraft } from './draft.ts';

export interface HelpEffects {
  'help.create': {
    effect: { draft: HelpDraft };
    /** `files`: how many of the draft's files went on the item. */
    result: { referenceCode: string; status: string; createdAt: string; ackDueAt: string; files: number };
  };
}
