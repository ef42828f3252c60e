/** Turns the current step of a flow into the neutral message that asks for it. */
import type { Choice, Outbound } from '../../bots/core/messenger.ts';
import { encodeAction } from './actions.ts';
import { type L10n, type Lang, t } from './l10n.ts';
import { engineText as m } from './messages.ts';
import type { AnyFlow, ConversationState, FlowContext } from './types.ts';

/** 上一步 / 取消 for this question: they name the flow and step they belong to. */
function word(wordName: 'back' | 'cancel', lang: Lang, flow: string, step: string): Choice {
  return { label: t(lang, m[wordName]), value: encodeAction({ k: 'word', v: wordName, f: flow, s: step }) };
}

/** The question for the state's step, with an optional notice above it (why the last answer was refused). */
export function prompt(flow: AnyFlow, state: ConversationState, ctx: FlowContext, notice?: L10n): Outbound {
  const { lang } = ctx;
  const step = flow.steps[state.step]!;
  const here = [flow.name, state.step] as const;
  const actions = [
    ...(state.history.length > 0 ? [word('back', lang, ...here)] : []),
    word('cancel', lang, ...here),
  ];
  const noticeText = notice ? { notice: t(lang, notice) } : {};
  const stepValue = (v: string) => encodeAction({ k: 'step', f: flow.name, s: state.step, v });

  if (step.kind === 'text') {
    const hint = [t(lang, m.hintMax(step.maxLength)), ...(step.optional ? [t(lang, m.hintSkip)] : [])].join(
      ' · ',
    );
    return { type: 'text', text: t(lang, step.prompt(state.data, ctx)), hint, actions, ...noticeText };
  }
  if (step.kind === 'choice') {
    const choices = step
      .options(state.data, ctx)
      .map((o) => ({ label: t(lang, o.label), value: stepValue(o.value) }));
    return { type: 'choices', text: t(lang, step.prompt(state.data, ctx)), choices, actions, ...noticeText };
  }
  return {
    type: 'confirm',
    title: t(lang, step.title(state.data, ctx)),
    fields: step.fields(state.data, ctx).map((f) => ({
      label: t(lang, f.label),
      value: typeof f.value === 'string' ? f.value : t(lang, f.value),
    })),
    text: t(lang, step.prompt(state.data, ctx)),
    confirm: { label: t(lang, step.confirmLabel), value: stepValue('confirm') },
    cancel: word('cancel', lang, ...here),
    actions: state.history.length > 0 ? [word('back', lang, ...here)] : [],
    ...noticeText,
  };
}
