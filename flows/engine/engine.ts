/**
 * The flow engine: one turn of a conversation. It owns the words every flow shares (取消, 上一步,
 * 菜单, language), expiry, stale buttons and re-prompts; then hands the answer to the current
 * step and performs the effect a completed flow declares. Pure apart from the `EffectPort`.
 */
import type { Choice, InboundContent, Outbound } from '../../bots/core/messenger.ts';
import { formatTime, type L10n, type Lang, t } from '../../kernel/l10n.ts';
import { normalizeText } from '../../kernel/text.ts';
import { decodeAction, encodeAction } from './actions.ts';
import { inputProblem } from './inputs.ts';
import { isWord, matchOption, type Word, wordByName, wordOf } from './matching.ts';
import { engineWords, engineText as m } from './messages.ts';
import { prompt, wordChoice } from './prompts.ts';
import { type Role, roleLabels } from './roles.ts';
import type {
  AnyFlow,
  CommandDef,
  Completion,
  ConversationState,
  EffectPort,
  FlowContext,
  OptionDef,
  Transition,
} from './types.ts';

/** The menu is a conversation state of the engine's own, so a number typed after it picks an entry. */
const MENU = 'menu';

export interface EngineOptions {
  flows: readonly AnyFlow[];
  commands: readonly CommandDef[];
  /** Minutes of silence after which an unfinished flow is abandoned. */
  timeoutMinutes: number;
}

export interface Turn {
  state: ConversationState | null;
  content: InboundContent;
  ctx: FlowContext;
  port: EffectPort;
}

export interface TurnResult {
  state: ConversationState | null;
  replies: Outbound[];
  /** The person's language after the turn (a language word changes it). */
  lang: Lang;
}

type Input =
  /** `pressed` words came from a button; `at` is the question such a button belongs to. */
  | { kind: 'word'; word: Word; said: string; pressed: boolean; at?: { flow: string; step: string } }
  | { kind: 'text'; text: string }
  | { kind: 'step'; flow: string; step: string; value: string }
  | { kind: 'bad_button' }
  | { kind: 'empty' }
  | { kind: 'unsupported' }
  | { kind: 'welcome' };

/** What can answer a step: typed text, a typed word, or a pressed step button. */
type Answer = Extract<Input, { kind: 'text' | 'word' | 'step' }>;

/** What the person typed, words included. */
const typedText = (input: Extract<Input, { kind: 'text' | 'word' }>) =>
  input.kind === 'text' ? input.text : input.said;

export interface Engine {
  handle(turn: Turn): Promise<TurnResult>;
  /** The notice for a conversation abandoned past its expiry, or null when none is owed. */
  expiryNotice(state: ConversationState, ctx: FlowContext): Outbound | null;
  /** The current question again, with a notice that the flow is waiting and when it ends (null if it cannot be shown). */
  reminder(state: ConversationState, ctx: FlowContext): Outbound | null;
  /** Whether answers given in this flow are sensitive (see FlowDef.sensitive). */
  isSensitive(flowName: string | null | undefined): boolean;
}

export function createEngine(options: EngineOptions): Engine {
  const flows = new Map(options.flows.map((f) => [f.name, f]));
  const commands = new Map(options.commands.map((c) => [c.name, c]));
  const timeoutMs = options.timeoutMinutes * 60_000;

  const expiresAt = (ctx: FlowContext) => new Date(ctx.now.getTime() + timeoutMs).toISOString();

  function menuOptions(ctx: FlowContext): OptionDef[] {
    return [
      ...options.flows
        .filter((f) => allowed(f, ctx))
        .map((f) => ({ value: `flow:${f.name}`, label: f.title, aliases: f.words })),
      ...options.commands
        .filter((c) => allowed(c, ctx))
        .map((c) => ({ value: `cmd:${c.name}`, label: c.title, aliases: c.words })),
      { value: ctx.lang === 'zh' ? 'lang_en' : 'lang_zh', label: m.menuLanguage },
    ];
  }

  /** Tells someone a flow or command is not theirs to use, and why. */
  function refuse(
    what: { title: L10n; roles?: readonly Role[] },
    ctx: FlowContext,
    out: Outbound[],
  ): TurnResult {
    out.push({
      type: 'text',
      text: t(
        ctx.lang,
        m.notAllowed(
          what.title,
          (what.roles ?? []).map((r) => roleLabels[r]),
        ),
      ),
      actions: [wordChoice('menu', ctx.lang)],
    });
    return { state: null, replies: out, lang: ctx.lang };
  }

  function menuMessage(ctx: FlowContext, notice?: L10n): Outbound {
    const choices: Choice[] = menuOptions(ctx).map((o) => ({
      label: t(ctx.lang, o.label),
      value: encodeAction({ k: 'step', f: MENU, s: 'pick', v: o.value }),
    }));
    return { type: 'choices', text: t(ctx.lang, m.menuTitle), choices, ...noticeOf(ctx.lang, notice) };
  }

  function showMenu(ctx: FlowContext, out: Outbound[], notice?: L10n): TurnResult {
    out.push(menuMessage(ctx, notice));
    const state: ConversationState = {
      flow: MENU,
      version: 1,
      step: 'pick',
      data: null,
      history: [],
      expiresAt: expiresAt(ctx),
    };
    return { state, replies: out, lang: ctx.lang };
  }

  /** Restores a stored state, or explains why it cannot be continued. */
  function load(
    state: ConversationState | null,
    ctx: FlowContext,
    out: Outbound[],
  ): ConversationState | null {
    if (!state) return null;
    if (Date.parse(state.expiresAt) <= ctx.now.getTime()) {
      const notice = expiryNoticeFor(state, ctx);
      if (notice) out.push(notice);
      return null;
    }
    if (state.flow === MENU) return state;
    const flow = flows.get(state.flow);
    const usable =
      flow &&
      flow.version === state.version &&
      flow.steps[state.step] !== undefined &&
      flow.data.safeParse(state.data).success &&
      state.history.every((s) => flow.steps[s] !== undefined);
    if (!usable) {
      out.push({ type: 'text', text: t(ctx.lang, m.flowChanged) });
      return null;
    }
    return state;
  }

  function expiryNoticeFor(state: ConversationState, ctx: FlowContext): Outbound | null {
    const flow = flows.get(state.flow);
    if (!flow) return null;
    return {
      type: 'text',
      text: t(ctx.lang, m.expired(flow.title, options.timeoutMinutes)),
      actions: [wordChoice('menu', ctx.lang)],
    };
  }

  function reminderFor(state: ConversationState, ctx: FlowContext): Outbound | null {
    const out: Outbound[] = [];
    const usable = load(state, ctx, out);
    if (!usable || usable.flow === MENU) return null;
    const flow = flows.get(usable.flow);
    if (!flow) return null;
    return prompt(flow, usable, ctx, m.reminder(flow.title, formatTime(usable.expiresAt, ctx.timeZone)));
  }

  function readInput(content: InboundContent, allowGreeting: boolean): Input {
    if (content.type === 'unsupported') return { kind: 'unsupported' };
    if (content.type === 'welcome') return { kind: 'welcome' };
    if (content.type === 'action') {
      const action = decodeAction(content.value);
      if (!action) return { kind: 'bad_button' };
      if (action.k === 'step') return { kind: 'step', flow: action.f, step: action.s, value: action.v };
      if (action.k === 'cmd') {
        const command = wordByName(`cmd:${action.c}`, { flows, commands });
        return command
          ? { kind: 'word', word: command, said: action.a, pressed: true }
          : { kind: 'bad_button' };
      }
      const word = wordByName(action.v, { flows, commands });
      if (!word) return { kind: 'bad_button' };
      const at =
        action.f !== undefined && action.s !== undefined ? { flow: action.f, step: action.s } : undefined;
      return { kind: 'word', word, said: action.v, pressed: true, ...(at ? { at } : {}) };
    }
    const text = normalizeText(content.text);
    if (text === '') return { kind: 'empty' };
    const word = wordOf(text, { allowGreeting, flows, commands });
    return word ? { kind: 'word', word, said: text, pressed: false } : { kind: 'text', text };
  }

  async function complete(
    completion: Completion,
    ctx: FlowContext,
    port: EffectPort,
    out: Outbound[],
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
    return { state: null, replies: out, lang };
  }

  async function startFlow(flow: AnyFlow, ctx: FlowContext, out: Outbound[]): Promise<TurnResult> {
    const state: ConversationState = {
      flow: flow.name,
      version: flow.version,
      step: flow.first,
      data: flow.initial(ctx),
      history: [],
      expiresAt: expiresAt(ctx),
    };
    out.push(prompt(flow, state, ctx));
    return { state, replies: out, lang: ctx.lang };
  }

  /** Changes and remembers the person's language; a flow in progress asks its question again in it. */
  async function switchLanguage(
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
    if (!inFlow) return showMenu(next, out, m.languageSet);
    out.push(prompt(inFlow.flow, inFlow.state, next, m.languageSet));
    return { state: inFlow.state, replies: out, lang: next.lang };
  }

  /** Runs a menu entry or a start word: a flow, a command or a language switch. */
  async function launch(target: string, turn: Turn, out: Outbound[], said = ''): Promise<TurnResult> {
    const { ctx, port } = turn;
    if (target === 'lang_zh' || target === 'lang_en') return switchLanguage(target, turn, out, null);
    const [kind, name] = target.split(':') as [string, string];
    if (kind === 'flow') {
      const flow = flows.get(name);
      if (flow) return allowed(flow, ctx) ? startFlow(flow, ctx, out) : refuse(flow, ctx, out);
    }
    if (kind === 'cmd') {
      const command = commands.get(name);
      if (command) {
        return allowed(command, ctx)
          ? complete(command.run(ctx, said), ctx, port, out)
          : refuse(command, ctx, out);
      }
    }
    return showMenu(ctx, out, m.badButton);
  }

  async function applyTransition(
    flow: AnyFlow,
    state: ConversationState,
    transition: Transition<unknown>,
    turn: Turn,
    out: Outbound[],
  ): Promise<TurnResult> {
    const { ctx } = turn;
    if (transition.type === 'invalid') {
      out.push(prompt(flow, state, ctx, transition.reason));
      return { state, replies: out, lang: ctx.lang };
    }
    if (transition.type === 'goto') {
      const next: ConversationState = {
        ...state,
        step: transition.step,
        data: transition.data,
        history: [...state.history, state.step],
        expiresAt: expiresAt(ctx),
      };
      out.push(prompt(flow, next, ctx));
      return { state: next, replies: out, lang: ctx.lang };
    }
    return complete(transition, ctx, turn.port, out);
  }

  /**
   * Gives the answer to the current step of the active flow. A pressed value is checked like
   * typed text: it must be this question's, and one of its answers.
   */
  async function answerStep(
    flow: AnyFlow,
    state: ConversationState,
    input: Answer,
    turn: Turn,
    out: Outbound[],
  ): Promise<TurnResult> {
    const { ctx } = turn;
    const step = flow.steps[state.step]!;
    const reprompt = (reason: L10n): TurnResult => {
      out.push(prompt(flow, state, ctx, reason));
      return { state, replies: out, lang: ctx.lang };
    };
    if (input.kind === 'step' && (input.flow !== flow.name || input.step !== state.step)) {
      return reprompt(m.staleButton);
    }

    if (step.kind === 'text') {
      // No button answers a text question.
      if (input.kind === 'step') return reprompt(m.staleButton);
      const typed = typedText(input);
      const skipped = step.optional === true && isWord(typed, engineWords.skip);
      const value = skipped ? '' : typed;
      if (!skipped) {
        const parsed = step.input.safeParse(value);
        if (!parsed.success) {
          // An empty message never gets here (it is answered before any step sees it).
          const problem = inputProblem(parsed.error);
          if (problem?.reason === 'too_long') return reprompt(m.tooLong(problem.max, problem.given));
          if (problem?.reason === 'too_short') return reprompt(m.tooShort(problem.min, problem.given));
          return reprompt(m.invalidInput);
        }
      }
      return applyTransition(flow, state, step.next(value, state.data, ctx), turn, out);
    }

    if (step.kind === 'choice') {
      const opts = step.options(state.data, ctx);
      const value = input.kind === 'step' ? input.value : matchOption(typedText(input), opts);
      const chosen = opts.find((o) => o.value === value);
      if (!chosen) return reprompt(m.pickOne(opts.length));
      return applyTransition(flow, state, step.next(chosen.value, state.data, ctx), turn, out);
    }

    // Only the confirm button's own value confirms; typed, the confirm words or its number 1.
    const confirmed =
      input.kind === 'step'
        ? input.value === 'confirm'
        : isWord(typedText(input), engineWords.confirm) || typedText(input) === '1';
    if (!confirmed) return reprompt(m.confirmOrCancel);
    return applyTransition(flow, state, step.next(state.data, ctx), turn, out);
  }

  async function handle(turn: Turn): Promise<TurnResult> {
    const { ctx } = turn;
    const out: Outbound[] = [];
    const state = load(turn.state, ctx, out);
    // After telling the person their flow ended, a leftover answer gets the menu, not a 没听懂.
    const toldAlready = out.length > 0;
    const inFlow = state !== null && state.flow !== MENU;
    const input = readInput(turn.content, !inFlow);
    const flow = inFlow ? flows.get(state.flow)! : null;

    if (input.kind === 'word') {
      const { word } = input;
      if (input.at && (!flow || !state || input.at.flow !== flow.name || input.at.step !== state.step)) {
        if (flow && state) {
          out.push(prompt(flow, state, ctx, m.staleButton));
          return { state, replies: out, lang: ctx.lang };
        }
        return showMenu(ctx, out, m.staleButton);
      }
      if (word === 'cancel') {
        const said = flow ? m.cancelled(flow.title) : m.nothingToCancel;
        out.push({ type: 'text', text: t(ctx.lang, said), actions: [wordChoice('menu', ctx.lang)] });
        return { state: null, replies: out, lang: ctx.lang };
      }
      if (word === 'back') {
        if (!flow || !state) return showMenu(ctx, out, m.nothingToGoBack);
        const previous = state.history.at(-1);
        if (previous === undefined) {
          out.push(prompt(flow, state, ctx, m.firstStep));
          return { state, replies: out, lang: ctx.lang };
        }
        const back: ConversationState = {
          ...state,
          step: previous,
          history: state.history.slice(0, -1),
          expiresAt: expiresAt(ctx),
        };
        out.push(prompt(flow, back, ctx));
        return { state: back, replies: out, lang: ctx.lang };
      }
      if (word === 'menu' || word === 'greet') {
        return showMenu(ctx, out, flow ? m.leftFlow(flow.title) : undefined);
      }
      if (word === 'lang_zh' || word === 'lang_en') {
        return switchLanguage(word, turn, out, flow && state ? { flow, state } : null);
      }
      if (!flow || !state) return launch(word, turn, out, input.said);
      const command = word.startsWith('cmd:') ? commands.get(word.slice(4))! : null;
      if (command && allowed(command, ctx)) {
        // A command (我的) inside a flow answers at once and the flow carries on where it was.
        const done = await complete(command.run(ctx, input.said), ctx, turn.port, out);
        const kept = { ...state, expiresAt: expiresAt(ctx) };
        done.replies.push(prompt(flow, kept, ctx));
        return { ...done, state: kept };
      }
      // A command this person may not use, typed inside a flow, is just an answer to the step.
      if (input.pressed) {
        out.push(prompt(flow, state, ctx, m.finishFirst(flow.title)));
        return { state, replies: out, lang: ctx.lang };
      }
      // Another flow's start word typed inside a flow is an answer to the step.
    }

    if (input.kind === 'bad_button') {
      if (flow && state) {
        out.push(prompt(flow, state, ctx, m.badButton));
        return { state, replies: out, lang: ctx.lang };
      }
      return showMenu(ctx, out, m.badButton);
    }

    if (input.kind === 'unsupported') {
      if (flow && state) {
        out.push(prompt(flow, state, ctx, m.textOnly));
        return { state, replies: out, lang: ctx.lang };
      }
      return showMenu(ctx, out, m.textOnly);
    }

    if (input.kind === 'welcome') {
      if (ctx.chatType === 'group') {
        out.push({ type: 'text', text: t(ctx.lang, m.groupWelcome) });
        return { state, replies: out, lang: ctx.lang };
      }
      if (flow && state) return { state, replies: out, lang: ctx.lang };
      return showMenu(ctx, out);
    }

    if (input.kind === 'empty') {
      if (flow && state) {
        out.push(prompt(flow, state, ctx, m.emptyText));
        return { state, replies: out, lang: ctx.lang };
      }
      return showMenu(ctx, out, m.emptyText);
    }

    if (flow && state) return answerStep(flow, state, input, turn, out);

    // Not in a flow: a menu pick, a press on an old menu, or something we do not understand.
    if (input.kind === 'step') {
      if (input.flow === MENU && input.step === 'pick') return launch(input.value, turn, out);
      return showMenu(ctx, out, m.staleButton);
    }
    if (state?.flow === MENU && input.kind === 'text') {
      const picked = matchOption(input.text, menuOptions(ctx));
      if (picked) return launch(picked, turn, out);
    }
    if (toldAlready) return showMenu(ctx, out);
    const said = input.kind === 'text' ? input.text : '';
    return showMenu(
      ctx,
      out,
      m.notUnderstood(said.length > 20 ? `${[...said].slice(0, 20).join('')}…` : said),
    );
  }

  return {
    handle,
    expiryNotice: (state, ctx) => (state.flow === MENU ? null : expiryNoticeFor(state, ctx)),
    reminder: reminderFor,
    isSensitive: (flowName) => (flowName ? flows.get(flowName)?.sensitive === true : false),
  };
}

/** Whether the person's role lets them use a flow or command. */
function allowed(what: { roles?: readonly Role[] }, ctx: FlowContext): boolean {
  return what.roles === undefined || what.roles.includes(ctx.role);
}

function noticeOf(lang: Lang, notice: L10n | undefined): { notice?: string } {
  return notice ? { notice: t(lang, notice) } : {};
}
