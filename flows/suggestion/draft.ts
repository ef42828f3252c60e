/** A suggestion as the person fills it in, and the limits on each answer. */
import { z } from 'zod';
import { draftFilesSchema } from '../files/draft.ts';
import { suggestionCategories } from './categories.ts';

export const suggestionLimits = {
  title: { min: 2, max: 60 },
  description: { min: 10, max: 2000 },
  benefit: { max: 1000 },
} as const;

/** Everything needed to file a suggestion. */
export const suggestionDraftSchema = z.object({
  title: z.string(),
  category: z.enum(suggestionCategories),
  description: z.string(),
  benefit: z.string(),
  anonymous: z.boolean(),
  /** The name the person gave when nobody knew it (signed items only). */
  authorName: z.string().optional(),
  /** Photos sent while filling it in. */
  files: draftFilesSchema.optional(),
});
export type SuggestionDraft = z.infer<typeof suggestionDraftSchema>;

/** The flow's data: answers so far. */
export const suggestionDataSchema = suggestionDraftSchema.partial();
export type SuggestionData = z.infer<typeof suggestionDataSchema>;
