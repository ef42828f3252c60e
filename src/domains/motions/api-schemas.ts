/** What the motions' routes in the officer API take and answer, read by the routes and the OpenAPI document alike. */
import { z } from 'zod';

const name = z.string().trim().min(2).max(60);
export const sessionBody = z
  .object({ nameZh: name, nameEn: name, open: z.boolean().default(false) })
  .strict();
export const sessionChangeBody = z
  .object({ nameZh: name.optional(), nameEn: name.optional(), open: z.boolean().optional() })
  .strict();
export const extendBody = z
  .object({ days: z.number().int().min(1).max(365), reason: z.string().trim().min(1).max(100_000) })
  .strict();

export const sessionView = z.object({
  id: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  open: z.boolean(),
  createdAt: z.string(),
});

export const sessionList = z.object({ items: z.array(sessionView) });

export const extendAnswer = z.object({ referenceCode: z.string(), answerDueAt: z.string() });
