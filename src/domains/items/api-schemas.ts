/** The officer API's shapes for items: validated at the edge, and described in OpenAPI. */
import { z } from 'zod';
import { allStatuses, itemKinds } from '../../../flows/lifecycles.ts';

export const maxReplyLength = 2000;

export const listQuery = z
  .object({
    status: z.enum(allStatuses).optional(),
    kind: z.enum(itemKinds).optional(),
    q: z.string().trim().min(1).max(100).optional(),
    /** Items raised in this unit or any unit below it. */
    unit: z.string().uuid().optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date such as 2026-11-01' });

export const satisfactionQuery = z
  .object({
    unit: z.string().uuid().optional(),
    kind: z.enum(itemKinds).optional(),
    from: day.optional(),
    to: day.optional(),
    by: z.enum(['week', 'month']).default('month'),
  })
  .strict();

export const satisfactionReport = z.object({
  by: z.enum(['week', 'month']),
  items: z.array(
    z.object({
      period: z.string(),
      kind: z.string(),
      unit: z.object({ id: z.string(), nameZh: z.string(), nameEn: z.string() }).nullable(),
      rated: z.number().int(),
      satisfied: z.number().int(),
      mostlySatisfied: z.number().int(),
      dissatisfied: z.number().int(),
      satisfactionRate: z.number(),
    }),
  ),
});

export const statusChangeBody = z
  .object({
    status: z.enum(allStatuses),
    /** Shown to the person; required when not adopting a suggestion, declining, or answering a motion. */
    reply: z.string().max(100_000).default(''),
    /** A motion's answer: A solved, B in progress, C not possible now, D for reference. */
    grade: z.enum(['A', 'B', 'C', 'D']).optional(),
    /** A motion being assigned: the department that handles it (default: the one proposed). */
    department: z.string().trim().min(2).max(60).optional(),
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
  status: z.enum(allStatuses),
  title: z.string(),
  category: z.string(),
  details: z.record(z.string(), z.string()),
  anonymous: z.boolean(),
  /** Who filed it (null when anonymous); verified false: 未核实, a web visitor nobody vouched for. */
  proposer: z.object({ name: z.string(), verified: z.boolean() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  nextStatuses: z.array(z.enum(allStatuses)),
  /** 1 满意, 2 基本满意, 3 不满意: given once by the person after the item closed. */
  rating: z.number().int().min(1).max(3).nullable(),
  ratingComment: z.string().nullable(),
  ratedAt: z.string().nullable(),
  cosignDueAt: z.string().nullable(),
  answerDueAt: z.string().nullable(),
  grade: z.enum(['A', 'B', 'C', 'D']).nullable(),
});

export const submissionDetail = submissionView.extend({ timeline: z.array(timelineEvent) });

export const submissionList = z.object({
  items: z.array(submissionView),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
