/** Turns the current step of a flow into the neutral message that asks for it. */
import type { Choice, Outbound } from '../../bots/core/messenger.ts';
import { type L10n, type Lang, t } from '../../kernel/l10n.ts';
import { encodeAction } from './actions.ts';
import { engineText as m } from './messages.ts';
import type { AnyFlow, ConversationState, FlowContext } from './types.ts';

/**
 * A button for one of the engine's words. Given the question it belongs to (上一步 / 取消 under a
 * step), it names that flow and step, so a press on an old one is recognised as stale.
 */
export function wordChoice(
  wordName: 'menu' | 'back' | 'cancel',
  lang: Lang,
  at?: { flow: string; step: string },
): Choice {
  const value = encodeAction(
    at ? { k: 'word', v: wordName, f: at.flow, s: at.step } : { k: 'word', v: wordName },
  );
  return { label: t(lang, m[wordName]), value };
}

/** The question for the state's step, with an optional notice above it (why the last answer was refused). */
export function prompt(flow: AnyFlow, state: ConversationState, ctx: FlowContext, notice?: L10n): Outbound {
  const { lang } = ctx;
  const step = flow.steps[state.step]!;
  const here = { flow: flow.name, step: state.step };
  const actions = [
    ...(state.history.length > 0 ? [wordChoice('back', lang, here)] : []),
    wordChoice('cancel', lang, here),
  ];
  const noticeText = notice ? { notice: t(lang, notice) } : {};
  const stepValue = (v: string) => encodeAction({ k: 'step', f: flow.name, s: state.step, v });

  if (step.kind === 'text') {
    const hint = [
      t(lang, m.hintMax(step.maxLength)),
      ...(step.optional ? [t(lang, m.hintSkip)] : []),
      ...(flow.files?.add ? [t(lang, m.hintFiles(flow.files.accepts))] : []),
    ].join(' · ');
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
    cancel: wordChoice('cancel', lang, here),
    actions: state.history.length > 0 ? [wordChoice('back', lang, here)] : [],
    ...noticeText,
  };
}
