/**
 * The engine's menu: the flows and commands this person may use, a language switch, and the
 * refusal for one they may not. Showing the menu makes it the conversation's state, so a number
 * typed next picks an entry.
 */
import type { Choice, Outbound } from '../../bots/core/messenger.ts';
import { type L10n, t } from '../../kernel/l10n.ts';
import { encodeAction } from './actions.ts';
import { engineText as m } from './messages.ts';
import { wordChoice } from './prompts.ts';
import { type Role, roleLabels } from './roles.ts';
import { allowed, type EngineSetup, expiresAt, MENU, noticeOf, type TurnResult } from './setup.ts';
import type { ConversationState, FlowContext, OptionDef } from './types.ts';

export function menuOptions(setup: EngineSetup, ctx: FlowContext): OptionDef[] {
  return [
    ...setup.flowList
      .filter((f) => allowed(f, ctx) && f.listed !== false)
      .map((f) => ({ value: `flow:${f.name}`, label: f.title, aliases: f.words })),
    ...setup.commandList
      .filter((c) => allowed(c, ctx) && (c.listed?.(ctx) ?? true))
      .map((c) => ({ value: `cmd:${c.name}`, label: c.title, aliases: c.words })),
    { value: ctx.lang === 'zh' ? 'lang_en' : 'lang_zh', label: m.menuLanguage },
  ];
}

function menuMessage(setup: EngineSetup, ctx: FlowContext, notice?: L10n): Outbound {
  const choices: Choice[] = menuOptions(setup, ctx).map((o) => ({
    label: t(ctx.lang, o.label),
    value: encodeAction({ k: 'step', f: MENU, s: 'pick', v: o.value }),
  }));
  return {
    type: 'choices',
    text: t(ctx.lang, m.menuTitle),
    choices,
    ...noticeOf(ctx.lang, notice),
    // A visitor nobody vouched for is one cookie: say once, short, what binding gives them.
    ...(ctx.verified === false ? { hint: t(ctx.lang, m.bindHint) } : {}),
  };
}

export function showMenu(setup: EngineSetup, ctx: FlowContext, out: Outbound[], notice?: L10n): TurnResult {
  out.push(menuMessage(setup, ctx, notice));
  const state: ConversationState = {
    flow: MENU,
    version: 1,
    step: 'pick',
    data: null,
    history: [],
    expiresAt: expiresAt(setup, ctx),
  };
  return { state, replies: out, lang: ctx.lang };
}

/** Tells someone a flow or command is not theirs to use, and why. */
export function refuse(
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
