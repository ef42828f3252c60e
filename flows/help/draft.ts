/** A help request as the person fills it in, and the limits on each answer. */
import { z } from 'zod';
import { draftFilesSchema } from '../files/draft.ts';
import { helpKinds, urgencies } from './kinds.ts';

export const helpLimits = {
  situation: { min: 10, max: 1000 },
  phone: { min: 5, max: 20 },
} as const;

export const helpDraftSchema = z.object({
  kind: z.enum(helpKinds),
  situation: z.string(),
  urgency: z.enum(urgencies),
  /** How to reach the person: in this chat, or by the phone number given. */
  contact: z.discriminatedUnion('way', [
    z.object({ way: z.literal('chat') }),
    z.object({ way: z.literal('phone'), phone: z.string() }),
  ]),
  /** The name the person gave when nobody knew it. */
  authorName: z.string().optional(),
  /** Photos and documents sent while filling it in. */
  files: draftFilesSchema.optional(),
});
export type HelpDraft = z.infer<typeof helpDraftSchema>;

export const helpDataSchema = helpDraftSchema.partial();
export type HelpData = z.infer<typeof helpDataSchema>;
