/**
 * Input schemas for steps. Their issues carry a machine reason in `params` so the engine can
 * explain a refusal in the person's language, with the limit stated.
 */
import { z } from 'zod';
import { charCount } from '../../kernel/text.ts';

export type InputProblem =
  | { reason: 'empty' }
  | { reason: 'too_short'; min: number; given: number }
  | { reason: 'too_long'; max: number; given: number };

/** Text of `min`..`max` characters (code points, so 一 and 😀 count as one each). */
export function textInput(opts: { min?: number; max: number }): z.ZodType<string> {
  const min = opts.min ?? 1;
  return z.string().superRefine((value, ctx) => {
    const given = charCount(value);
    const problem: InputProblem | null =
      given === 0
        ? { reason: 'empty' }
        : given < min
          ? { reason: 'too_short', min, given }
          : given > opts.max
            ? { reason: 'too_long', max: opts.max, given }
            : null;
    if (problem) ctx.addIssue({ code: 'custom', message: problem.reason, params: problem });
  });
}

/** The first problem a schema reported, when it is one of ours. */
export function inputProblem(error: z.ZodError): InputProblem | null {
  for (const issue of error.issues) {
    if (issue.code === 'custom' && issue.params && typeof issue.params.reason === 'string') {
      return issue.params as InputProblem;
    }
  }
  return null;
}
