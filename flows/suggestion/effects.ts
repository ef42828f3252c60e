/** What the suggestion flow asks the server to do, and what it gets back. */
import type { SuggestionDraft } from './draft.ts';

export interface SuggestionEffects {
  'suggestion.create': {
    effect: { draft: SuggestionDraft };
    /** `files`: how many of the draft's files went on the item. */
    result: { referenceCode: string; status: string; createdAt: string; files: number };
  };
}
