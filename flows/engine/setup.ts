/**
 * What one engine is made of: its flows and commands by name and in menu order, and how long a
 * silent conversation lasts. Every part of the engine reads it; none changes it.
 */
import type { InboundContent, Outbound } from '../../bots/core/messenger.ts';
import { type L10n, type Lang, t } from '../../kernel/l10n.ts';
import type { Role } from './roles.ts';
import type { AnyFlow, CommandDef, ConversationState, EffectPort, FlowContext } from './types.ts';

/** The menu is a conversation state of the engine's own, so a number typed after it picks an entry. */
export const MENU = 'menu';

export interface EngineSetup {
  flows: ReadonlyMap<string, AnyFlow>;
  commands: ReadonlyMap<string, CommandDef>;
  /** In the order they were given, which is the menu's. */
  flowList: readonly AnyFlow[];
  commandList: readonly CommandDef[];
  /** Minutes of silence after which an unfinished flow is abandoned. */
  timeoutMinutes: number;
}

/** One turn: the stored state, what the person sent, who they are, and the port effects go through. */
export interface Turn {
  state: ConversationState | null;
  content: InboundContent;
  ctx: FlowContext;
  port: EffectPort;
}

/** What a turn hands back: the state to keep, the replies, the person's language after it. */
export interface TurnResult {
  state: ConversationState | null;
  replies: Outbound[];
  /** The person's language after the turn (a language word changes it). */
  lang: Lang;
}

export function expiresAt(setup: EngineSetup, ctx: FlowContext): string {
  return new Date(ctx.now.getTime() + setup.timeoutMinutes * 60_000).toISOString();
}

/** Whether the person's role lets them use a flow or command. */
export function allowed(what: { roles?: readonly Role[] }, ctx: FlowContext): boolean {
  return what.roles === undefined || what.roles.includes(ctx.role);
}

export function noticeOf(lang: Lang, notice: L10n | undefined): { notice?: string } {
  return notice ? { notice: t(lang, notice) } : {};
}

/** The turn ends with the state as it was, the replies so far, the language unchanged. */
export function stay(state: ConversationState | null, out: Outbound[], ctx: FlowContext): TurnResult {
  return { state, replies: out, lang: ctx.lang };
}
