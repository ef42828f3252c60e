/**
 * What a poll is made of before it exists, as the officer API, a recurring schedule and the chat
 * command all give it, and the rules it must keep: 2–10 distinct options for single choice and
 * none otherwise, thresholds of at least 3, a reminder before the close.
 */
import { z } from 'zod';
import type { L10n } from '../../kernel/l10n.ts';
import {
  defaultCommentThreshold,
  defaultThreshold,
  maxOptions,
  minOptions,
  minThreshold,
  pollKinds,
} from './kinds.ts';

const channel = z.enum(['web', 'lark', 'wechat']);

export const pollAudience = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('everyone') }).strict(),
  z.object({ kind: z.literal('units'), unitIds: z.array(z.uuid()).min(1).max(200) }).strict(),
  z
    .object({
      kind: z.literal('chats'),
      chats: z
        .array(z.object({ channel, chatId: z.string().min(1).max(200) }).strict())
        .min(1)
        .max(200),
    })
    .strict(),
]);

/** Longest a poll may stay open: 90 days. */
export const maxDurationMinutes = 90 * 24 * 60;

export const pollSpec = z
  .object({
    question: z.string().trim().min(1).max(300),
    kind: z.enum(pollKinds),
    options: z.array(z.string().trim().min(1).max(60)).max(maxOptions).default([]),
    allowComment: z.boolean().default(false),
    audience: pollAudience,
    /** k: at least 3; 5 when not given. */
    threshold: z.number().int().min(minThreshold).max(10_000).default(defaultThreshold),
    commentThreshold: z.number().int().min(minThreshold).max(10_000).default(defaultCommentThreshold),
    /** One reminder to those who have not answered, this many minutes after it opens. */
    remindAfterMinutes: z.number().int().min(1).max(maxDurationMinutes).nullable().default(null),
  })
  .strict();
export type PollSpec = z.infer<typeof pollSpec>;

/** What a recurring poll's schedule keeps: the spec and how long each occurrence stays open. */
export const pollTemplate = pollSpec
  .extend({ durationMinutes: z.number().int().min(1).max(maxDurationMinutes) })
  .strict();

export const specText = {
  options: {
    zh: `单选投票需要 ${minOptions}–${maxOptions} 个选项。`,
    en: `A single-choice poll needs ${minOptions} to ${maxOptions} options.`,
  },
  duplicateOptions: { zh: '选项不能重复。', en: 'Options must differ from each other.' },
  noOptions: { zh: '评分和推荐度投票不设选项。', en: 'Rating and eNPS polls take no options.' },
  threshold: {
    zh: `公布门槛不能低于 ${minThreshold} 人。`,
    en: `A threshold cannot be below ${minThreshold}.`,
  },
  duration: {
    zh: '截止时间必须晚于开始时间，且最长 90 天。',
    en: 'The close must come after the open, within 90 days.',
  },
  reminder: { zh: '提醒时间必须早于截止时间。', en: 'The reminder must come before the close.' },
} satisfies Record<string, L10n>;

/** The rules across fields; null when the spec keeps them. */
export function checkPollSpec(spec: PollSpec, durationMinutes: number): L10n | null {
  if (spec.kind === 'single') {
    if (spec.options.length < minOptions || spec.options.length > maxOptions) return specText.options;
    const distinct = new Set(spec.options.map((o) => o.toLowerCase()));
    if (distinct.size < spec.options.length) return specText.duplicateOptions;
  } else if (spec.options.length > 0) return specText.noOptions;
  if (spec.threshold < minThreshold || spec.commentThreshold < minThreshold) return specText.threshold;
  if (durationMinutes < 1 || durationMinutes > maxDurationMinutes) return specText.duration;
  if (spec.remindAfterMinutes !== null && spec.remindAfterMinutes >= durationMinutes)
    return specText.reminder;
  return null;
}
