/** The officer API's request and response shapes: validated at the edge, and described in OpenAPI. */
import { z } from 'zod';
import { suggestionStatuses } from '../../flows/suggestion/lifecycle.ts';

export const maxReplyLength = 2000;

export const listQuery = z
  .object({
    status: z.enum(suggestionStatuses).optional(),
    kind: z.enum(['suggestion']).optional(),
    q: z.string().trim().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export const statusChangeBody = z
  .object({
    status: z.enum(suggestionStatuses),
    /** Shown to the proposer; required when not adopting. */
    reply: z.string().max(100_000).default(''),
  })
  .strict();

const timelineEvent = z.object({
  at: z.string(),
  type: z.string(),
  actorType: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  note: z.string().nullable(),
});

export const submissionView = z.object({
  referenceCode: z.string(),
  kind: z.string(),
  status: z.enum(suggestionStatuses),
  title: z.string(),
  category: z.string(),
  details: z.record(z.string(), z.string()),
  anonymous: z.boolean(),
  proposer: z.object({ name: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  nextStatuses: z.array(z.enum(suggestionStatuses)),
});

export const submissionDetail = submissionView.extend({ timeline: z.array(timelineEvent) });

export const submissionList = z.object({
  items: z.array(submissionView),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    message_zh: z.string(),
    message_en: z.string(),
    details: z.unknown().optional(),
  }),
});
