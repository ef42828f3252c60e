/**
 * 您怎么称呼？ A signed item shows officers who filed it; a person whose name nobody knows yet (a
 * web chat visitor, an account the platform gives no name) is asked for it before the summary of a
 * signed submission, and the name goes with the item (the server keeps it unless the roster or the
 * directory gives one).
 */
import type { L10n } from '../kernel/l10n.ts';
import { textInput } from './engine/inputs.ts';
import { type FlowContext, goto, type TextStep } from './engine/types.ts';

export const authorNameLimits = { min: 1, max: 30 } as const;

const text = {
  ask: {
    zh: '您怎么称呼？署名提交会让工会干部看到这个称呼，方便联系您（如“张建国”或“张师傅”）。',
    en: 'How should we call you? A signed submission shows officers this name so they can reach you (e.g. "Zhang Jianguo").',
  },
  field: { zh: '署名', en: 'Signed as' },
} satisfies Record<string, L10n>;

export const authorNameField = text.field;

/** Whether to ask the name before `then`: signed, and nobody knows it yet. */
export const needsName = (ctx: FlowContext, signed: boolean) => signed && ctx.nameKnown === false;

/** The step that asks the name, then goes on to `then` (the summary). */
export function authorNameStep<D extends { authorName?: string | undefined }>(then: string): TextStep<D> {
  return {
    kind: 'text',
    prompt: () => text.ask,
    maxLength: authorNameLimits.max,
    input: textInput(authorNameLimits),
    next: (authorName, data) => goto(then, { ...data, authorName }),
  };
}
