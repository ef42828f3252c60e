/**
 * A conversation's stored state, read back at the start of a turn: expired (with the notice the
 * person is owed), changed under it by a new version of the flow, or usable. Also the reminder
 * that asks the waiting question again.
 */
import type { Outbound } from '../../bots/core/messenger.ts';
import { formatTime, t } from '../../kernel/l10n.ts';
import { engineText as m } from './messages.ts';
import { prompt, wordChoice } from './prompts.ts';
import { type EngineSetup, MENU } from './setup.ts';
import type { ConversationState, FlowContext } from './types.ts';

/** Restores a stored state, or explains why it cannot be continued. */
export function load(
  setup: EngineSetup,
  state: ConversationState | null,
  ctx: FlowContext,
  out: Outbound[],
): ConversationState | null {
  if (!state) return null;
  if (Date.parse(state.expiresAt) <= ctx.now.getTime()) {
    const notice = expiryNoticeFor(setup, state, ctx);
    if (notice) out.push(notice);
    return null;
  }
  if (state.flow === MENU) return state;
  const flow = setup.flows.get(state.flow);
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

export function expiryNoticeFor(
  setup: EngineSetup,
  state: ConversationState,
  ctx: FlowContext,
): Outbound | null {
  const flow = setup.flows.get(state.flow);
  if (!flow || flow.quiet) return null;
  return {
    type: 'text',
    text: t(ctx.lang, m.expired(flow.title, setup.timeoutMinutes)),
    actions: [wordChoice('menu', ctx.lang)],
  };
}

export function reminderFor(setup: EngineSetup, state: ConversationState, ctx: FlowContext): Outbound | null {
  const out: Outbound[] = [];
  const usable = load(setup, state, ctx, out);
  if (!usable || usable.flow === MENU) return null;
  const flow = setup.flows.get(usable.flow);
  if (!flow || flow.quiet) return null;
  return prompt(flow, usable, ctx, m.reminder(flow.title, formatTime(usable.expiresAt, ctx.timeZone)));
}
