/**
 * Moving a conversation on: starting a flow, running a command or a language switch, giving an
 * answer to the current step, and completing with the effect a flow or command declares.
 */
import type { z } from 'zod';
import type { Outbound } from '../../bots/core/messenger.ts';
import type { L10n, Lang } from '../../kernel/l10n.ts';
import { type Answer, typedText } from './input.ts';
import { inputProblem } from './inputs.ts';
import { isWord, matchOption } from './matching.ts';
import { refuse, showMenu } from './menu.ts';
import { engineWords, engineText as m } from './messages.ts';
import { prompt } from './prompts.ts';
import { allowed, type EngineSetup, expiresAt, stay, type Turn, type TurnResult } from './setup.ts';
import type { AnyFlow, Completion, ConversationState, EffectPort, FlowContext, Transition } from './types.ts';

export async function complete(
  completion: Completion,
  ctx: FlowContext,
  port: EffectPort,
  out: Outbound[],
  setup?: EngineSetup,
): Promise<TurnResult> {
  const result = completion.effect ? await port.perform(completion.effect) : null;
  const lang =
    completion.effect?.type === 'person.language' &&
    result &&
    typeof result === 'object' &&
    'language' in result
      ? (result.language as Lang)
      : ctx.lang;
  out.push(...completion.reply(result, { ...ctx, lang }));
  const next = setup && completion.andThen ? completion.andThen(result) : null;
  const flow = next ? setup?.flows.get(next.flow) : undefined;
  const data = next && flow ? flow.data.safeParse(next.data) : undefined;
  if (setup && next && flow && data?.success && allowed(flow, ctx)) {
    return startFlow(setup, flow, { ...ctx, lang }, out, data.data, next.step);
  }
  return { state: null, replies: out, lang };
}

function startFlow(
  setup: EngineSetup,
  flow: AnyFlow,
  ctx: FlowContext,
  out: Outbound[],
  data: unknown = flow.initial(ctx),
  step: string = flow.first,
): TurnResult {
  const state: ConversationState = {
    flow: flow.name,
    version: flow.version,
    step: flow.steps[step] ? step : flow.first,
    data,
    history: [],
    expiresAt: expiresAt(setup, ctx),
  };
  out.push(prompt(flow, state, ctx));
  return stay(state, out, ctx);
}

/** Changes and remembers the person's language; a flow in progress asks its question again in it. */
export async function switchLanguage(
  setup: EngineSetup,
  word: 'lang_zh' | 'lang_en',
  turn: Turn,
  out: Outbound[],
  inFlow: { flow: AnyFlow; state: ConversationState } | null,
): Promise<TurnResult> {
  const result = await turn.port.perform({
    type: 'person.language',
    language: word === 'lang_zh' ? 'zh' : 'en',
  });
  const next = { ...turn.ctx, lang: result.language };
  if (!inFlow) return showMenu(setup, next, out, m.languageSet);
  out.push(prompt(inFlow.flow, inFlow.state, next, m.languageSet));
  return { state: inFlow.state, replies: out, lang: next.lang };
}

/** Runs a menu entry or a start word: a flow, a command or a language switch. */
export async function launch(
  setup: EngineSetup,
  target: string,
  turn: Turn,
  out: Outbound[],
  said = '',
): Promise<TurnResult> {
  const { ctx, port } = turn;
  if (target === 'lang_zh' || target === 'lang_en') return switchLanguage(setup, target, turn, out, null);
  const [kind, name] = target.split(':') as [string, string];
  if (kind === 'flow') {
    const flow = setup.flows.get(name);
    if (flow) return allowed(flow, ctx) ? startFlow(setup, flow, ctx, out) : refuse(flow, ctx, out);
  }
  if (kind === 'cmd') {
    const command = setup.commands.get(name);
    if (command) {
      if (!allowed(command, ctx)) return refuse(command, ctx, out);
      const run = command.run(ctx, said);
      if (run.type === 'complete') return complete(run, ctx, port, out, setup);
      const flow = setup.flows.get(run.flow);
      const data = flow?.data.safeParse(run.data);
      if (flow && data?.success && allowed(flow, ctx))
        return startFlow(setup, flow, ctx, out, data.data, run.step);
    }
  }
  return showMenu(setup, ctx, out, m.badButton);
}

async function applyTransition(
  setup: EngineSetup,
  at: { flow: AnyFlow; state: ConversationState },
  transition: Transition<unknown>,
  turn: Turn,
  out: Outbound[],
): Promise<TurnResult> {
  const { ctx } = turn;
  const { flow, state } = at;
  if (transition.type === 'invalid') {
    out.push(prompt(flow, state, ctx, transition.reason));
    return stay(state, out, ctx);
  }
  if (transition.type === 'goto') {
    const next: ConversationState = {
      ...state,
      step: transition.step,
      data: transition.data,
      history: [...state.history, state.step],
      expiresAt: expiresAt(setup, ctx),
    };
    out.push(prompt(flow, next, ctx));
    return stay(next, out, ctx);
  }
  return complete(transition, ctx, turn.port, out);
}

/**
 * Gives the answer to the current step of the active flow. A pressed value is checked like
 * typed text: it must be this question's, and one of its answers.
 */
export async function answerStep(
  setup: EngineSetup,
  at: { flow: AnyFlow; state: ConversationState },
  input: Answer,
  turn: Turn,
  out: Outbound[],
): Promise<TurnResult> {
  const { ctx } = turn;
  const { flow, state } = at;
  const step = flow.steps[state.step]!;
  const reprompt = (reason: L10n): TurnResult => {
    out.push(prompt(flow, state, ctx, reason));
    return stay(state, out, ctx);
  };
  if (input.kind === 'step' && (input.flow !== flow.name || input.step !== state.step)) {
    return reprompt(m.staleButton);
  }
  const next = (transition: Transition<unknown>) => applyTransition(setup, at, transition, turn, out);

  if (step.kind === 'text') {
    // No button answers a text question.
    if (input.kind === 'step') return reprompt(m.staleButton);
    const typed = typedText(input);
    const skipped = step.optional === true && isWord(typed, engineWords.skip);
    const value = skipped ? '' : typed;
    const problem = skipped ? null : textProblem(step.input.safeParse(value));
    return problem ? reprompt(problem) : next(step.next(value, state.data, ctx));
  }

  if (step.kind === 'choice') {
    const opts = step.options(state.data, ctx);
    const value = input.kind === 'step' ? input.value : matchOption(typedText(input), opts);
    const chosen = opts.find((o) => o.value === value);
    if (!chosen) return reprompt(m.pickOne(opts.length));
    return next(step.next(chosen.value, state.data, ctx));
  }

  // Only the confirm button's own value confirms; typed, the confirm words or its number 1.
  const confirmed =
    input.kind === 'step'
      ? input.value === 'confirm'
      : isWord(typedText(input), engineWords.confirm) || typedText(input) === '1';
  if (!confirmed) return reprompt(m.confirmOrCancel);
  return next(step.next(state.data, ctx));
}

/** Why a typed answer does not fit a text step; null when it does. */
function textProblem(parsed: { success: true } | { success: false; error: z.ZodError }): L10n | null {
  if (parsed.success) return null;
  // An empty message never gets here (it is answered before any step sees it).
  const problem = inputProblem(parsed.error);
  if (problem?.reason === 'too_long') return m.tooLong(problem.max, problem.given);
  if (problem?.reason === 'too_short') return m.tooShort(problem.min, problem.given);
  return m.invalidInput;
}
