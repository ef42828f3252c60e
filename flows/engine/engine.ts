/**
 * The flow engine: one turn of a conversation. It owns the words every flow shares (取消, 上一步,
 * 菜单, language), expiry, stale buttons and re-prompts; then hands the answer to the current
 * step and performs the effect a completed flow declares. Pure apart from the `EffectPort`.
 *
 * This file reads a turn and decides what it is; `stored-state.ts` reads the state back,
 * `input.ts` the message, `menu.ts` shows the menu, and `steps.ts` moves the conversation on.
 */
import type { Outbound } from '../../bots/core/messenger.ts';
import { t } from '../../kernel/l10n.ts';
import { answerFile } from './files.ts';
import { type Input, readInput } from './input.ts';
import { matchOption } from './matching.ts';
import { menuOptions, showMenu } from './menu.ts';
import { engineText as m } from './messages.ts';
import { prompt, wordChoice } from './prompts.ts';
import { allowed, type EngineSetup, expiresAt, MENU, stay, type Turn, type TurnResult } from './setup.ts';
import { answerStep, complete, launch, switchLanguage } from './steps.ts';
import { expiryNoticeFor, load, reminderFor } from './stored-state.ts';
import type { AnyFlow, CommandDef, ConversationState, FlowContext } from './types.ts';

export type { Turn, TurnResult } from './setup.ts';

export interface EngineOptions {
  flows: readonly AnyFlow[];
  commands: readonly CommandDef[];
  /** Minutes of silence after which an unfinished flow is abandoned. */
  timeoutMinutes: number;
}

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
  const setup: EngineSetup = {
    flows: new Map(options.flows.map((f) => [f.name, f])),
    commands: new Map(options.commands.map((c) => [c.name, c])),
    flowList: options.flows,
    commandList: options.commands,
    timeoutMinutes: options.timeoutMinutes,
  };
  return {
    handle: (turn) => handle(setup, turn),
    expiryNotice: (state, ctx) => (state.flow === MENU ? null : expiryNoticeFor(setup, state, ctx)),
    reminder: (state, ctx) => reminderFor(setup, state, ctx),
    isSensitive: (flowName) => (flowName ? setup.flows.get(flowName)?.sensitive === true : false),
  };
}

/** Where the turn finds the person: in a flow (with its state), at the menu, or nowhere. */
interface Place {
  state: ConversationState | null;
  /** The flow in progress, with its state; null at the menu or outside any. */
  inFlow: { flow: AnyFlow; state: ConversationState } | null;
}

async function handle(setup: EngineSetup, turn: Turn): Promise<TurnResult> {
  const { ctx } = turn;
  const out: Outbound[] = [];
  const state = load(setup, turn.state, ctx, out);
  // After telling the person their flow ended, a leftover answer gets the menu, not a 没听懂.
  const toldAlready = out.length > 0;
  const flow = state !== null && state.flow !== MENU ? setup.flows.get(state.flow)! : null;
  const place: Place = { state, inFlow: flow && state ? { flow, state } : null };
  let input = readInput(setup, turn.content, place.inFlow === null);
  // A flow the server opened (a reply waited for) gives way to anything the person starts.
  if (place.inFlow?.flow.quiet) {
    const fresh = readInput(setup, turn.content, true);
    if (fresh.kind === 'word') {
      place.inFlow = null;
      place.state = null;
      input = fresh;
    }
  }

  if (input.kind === 'word') {
    const handled = await handleWord(setup, place, input, turn, out);
    if (handled) return handled;
    // Another flow's start word typed inside a flow is an answer to the step: go on below.
  }
  if (input.kind === 'file') return answerFile(setup, place.inFlow, input, turn, out);
  const notice = plainNotice(input);
  if (notice) return remindOrMenu(setup, place, ctx, out, notice);
  if (input.kind === 'welcome') {
    if (ctx.chatType === 'group') {
      out.push({ type: 'text', text: t(ctx.lang, m.groupWelcome) });
      return stay(state, out, ctx);
    }
    return place.inFlow ? stay(state, out, ctx) : showMenu(setup, ctx, out);
  }
  if (input.kind !== 'text' && input.kind !== 'word' && input.kind !== 'step')
    return showMenu(setup, ctx, out);
  if (place.inFlow) return answerStep(setup, place.inFlow, input, turn, out);

  // Not in a flow: a menu pick, a press on an old menu, or something we do not understand.
  if (input.kind === 'step') {
    if (input.flow === MENU && input.step === 'pick') return launch(setup, input.value, turn, out);
    return showMenu(setup, ctx, out, m.staleButton);
  }
  if (state?.flow === MENU && input.kind === 'text') {
    const picked = matchOption(input.text, menuOptions(setup, ctx));
    if (picked) return launch(setup, picked, turn, out);
  }
  if (toldAlready) return showMenu(setup, ctx, out);
  const said = input.kind === 'text' ? input.text : '';
  return showMenu(
    setup,
    ctx,
    out,
    m.notUnderstood(said.length > 20 ? `${[...said].slice(0, 20).join('')}…` : said),
  );
}

/** The notice for a message no step can take: a button we cannot read, an image, an empty text. */
function plainNotice(input: Input) {
  if (input.kind === 'bad_button') return m.badButton;
  if (input.kind === 'unsupported') return m.textOnly;
  if (input.kind === 'empty') return m.emptyText;
  return null;
}

/** In a flow, its question again with the notice; outside one, the menu with it. */
function remindOrMenu(
  setup: EngineSetup,
  place: Place,
  ctx: FlowContext,
  out: Outbound[],
  notice: Parameters<typeof showMenu>[3],
): TurnResult {
  if (!place.inFlow) return showMenu(setup, ctx, out, notice);
  out.push(prompt(place.inFlow.flow, place.inFlow.state, ctx, notice));
  return stay(place.inFlow.state, out, ctx);
}

/**
 * A shared word (取消, 上一步, 菜单, a language, a command or a flow's start word), typed or
 * pressed. Null when, inside a flow, the word is only an answer to the step.
 */
async function handleWord(
  setup: EngineSetup,
  place: Place,
  input: Extract<Input, { kind: 'word' }>,
  turn: Turn,
  out: Outbound[],
): Promise<TurnResult | null> {
  const { ctx } = turn;
  const { word } = input;
  const { inFlow } = place;
  if (input.at && (!inFlow || input.at.flow !== inFlow.flow.name || input.at.step !== inFlow.state.step)) {
    return remindOrMenu(setup, place, ctx, out, m.staleButton);
  }
  if (word === 'cancel') {
    const said = inFlow ? m.cancelled(inFlow.flow.title) : m.nothingToCancel;
    out.push({ type: 'text', text: t(ctx.lang, said), actions: [wordChoice('menu', ctx.lang)] });
    return stay(null, out, ctx);
  }
  if (word === 'back') return goBack(setup, place, ctx, out);
  if (word === 'menu' || word === 'greet') {
    return showMenu(setup, ctx, out, inFlow ? m.leftFlow(inFlow.flow.title) : undefined);
  }
  if (word === 'lang_zh' || word === 'lang_en') return switchLanguage(setup, word, turn, out, inFlow);
  if (!inFlow) return launch(setup, word, turn, out, input.said);
  const command = word.startsWith('cmd:') ? setup.commands.get(word.slice(4))! : null;
  const run = command && allowed(command, ctx) ? command.run(ctx, input.said) : null;
  if (run?.type === 'start' || run?.andThen) {
    // A command that goes on as a flow of its own (回复) waits until this one is done.
    out.push(prompt(inFlow.flow, inFlow.state, ctx, m.finishFirst(inFlow.flow.title)));
    return stay(inFlow.state, out, ctx);
  }
  if (run) {
    // A command (我的) inside a flow answers at once and the flow carries on where it was.
    const done = await complete(run, ctx, turn.port, out);
    const kept = { ...inFlow.state, expiresAt: expiresAt(setup, ctx) };
    done.replies.push(prompt(inFlow.flow, kept, ctx));
    return { ...done, state: kept };
  }
  // A command this person may not use, typed inside a flow, is just an answer to the step.
  if (input.pressed) {
    out.push(prompt(inFlow.flow, inFlow.state, ctx, m.finishFirst(inFlow.flow.title)));
    return stay(inFlow.state, out, ctx);
  }
  return null;
}

/** 上一步: the previous question, or the first one again with a note that it is the first. */
function goBack(setup: EngineSetup, place: Place, ctx: FlowContext, out: Outbound[]): TurnResult {
  if (!place.inFlow) return showMenu(setup, ctx, out, m.nothingToGoBack);
  const { flow, state } = place.inFlow;
  const previous = state.history.at(-1);
  if (previous === undefined) {
    out.push(prompt(flow, state, ctx, m.firstStep));
    return stay(state, out, ctx);
  }
  const back: ConversationState = {
    ...state,
    step: previous,
    history: state.history.slice(0, -1),
    expiresAt: expiresAt(setup, ctx),
  };
  out.push(prompt(flow, back, ctx));
  return stay(back, out, ctx);
}
