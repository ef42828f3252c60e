/** A motion as a delegate fills it in, and the limits on each answer. */
import { z } from 'zod';

export const motionLimits = {
  title: { min: 2, max: 60 },
  reasons: { min: 10, max: 2000 },
  measures: { min: 10, max: 2000 },
  department: { min: 2, max: 60 },
  cosigners: { max: 10 },
} as const;

export const motionDraftSchema = z.object({
  title: z.string(),
  reasons: z.string(),
  measures: z.string(),
  department: z.string(),
  /** Member numbers of the delegates invited to co-sign. */
  cosigners: z.array(z.number().int().positive()).min(1).max(motionLimits.cosigners.max),
  /** The name the person gave when nobody knew it. */
  authorName: z.string().optional(),
});
export type MotionDraft = z.infer<typeof motionDraftSchema>;

export const motionDataSchema = motionDraftSchema.partial();
export type MotionData = z.infer<typeof motionDataSchema>;

/** Member numbers typed as "1024 1025" or "1024，1025"; null when anything else is there. */
export function parseMemberNumbers(text: string): number[] | null {
  const parts = text.split(/[\s,，、;；]+/).filter(Boolean);
  if (parts.length === 0 || parts.some((p) => !/^\d{1,12}$/.test(p))) return null;
  return [...new Set(parts.map(Number))];
}
