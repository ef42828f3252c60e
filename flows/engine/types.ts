/**
 * What a flow is made of. A flow is data: named steps, each with a prompt, an input schema and a
 * transition that returns the next step and data, or completes with a declared effect. Flows
 * never perform I/O; the engine performs their effects through an `EffectPort`.
 */
import type { z } from 'zod';
import type { Outbound } from '../../bots/core/messenger.ts';
import type { L10n, Lang } from '../../kernel/l10n.ts';
import type { Effect, EffectResults } from '../effects.ts';
import type { FileAccepts } from '../files/rules.ts';
import type { Role } from './roles.ts';

/** Everything a step may know about the moment: time and ids come in here, never from globals. */
export interface FlowContext {
  now: Date;
  lang: Lang;
  timeZone: string;
  chatType: 'private' | 'group';
  /** The person's role, for flows and commands only some may use. */
  role: Role;
  /** false: a web chat visitor nobody has vouched for (未核实), told how binding helps them. */
  verified?: boolean;
  /** false: nobody knows the person's name yet; they are asked it before a signed submission. */
  nameKnown?: boolean;
}

export interface OptionDef {
  value: string;
  label: L10n;
  /** Further words (either language) that pick this option when typed. */
  aliases?: readonly string[];
}

/** A free-text answer, validated by its zod schema after normalisation. */
export interface TextStep<D> {
  kind: 'text';
  prompt(data: D, ctx: FlowContext): L10n;
  /** Longest answer, in characters; shown to the person and enforced by `input`. */
  maxLength: number;
  input: z.ZodType<string>;
  /** When set, 跳过/skip answers with an empty string. */
  optional?: boolean;
  next(value: string, data: D, ctx: FlowContext): Transition<D>;
}

/** One option out of several, by button, number or words. */
export interface ChoiceStep<D> {
  kind: 'choice';
  prompt(data: D, ctx: FlowContext): L10n;
  options(data: D, ctx: FlowContext): readonly OptionDef[];
  next(value: string, data: D, ctx: FlowContext): Transition<D>;
}

/** A summary the person approves (or not) before anything is written. */
export interface ConfirmStep<D> {
  kind: 'confirm';
  title(data: D, ctx: FlowContext): L10n;
  /** Values given as L10n are shown in the person's language; strings (their own answers) as they are. */
  fields(data: D, ctx: FlowContext): readonly { label: L10n; value: string | L10n }[];
  prompt(data: D, ctx: FlowContext): L10n;
  confirmLabel: L10n;
  next(data: D, ctx: FlowContext): Transition<D>;
}

export type StepDef<D> = TextStep<D> | ChoiceStep<D> | ConfirmStep<D>;

/** Builds the messages sent after an effect, from its result. */
export type ReplyBuilder<R> = (result: R, ctx: FlowContext) => Outbound[];

/** The end of a flow or command: an optional declared effect, then the replies built from its result. */
export interface Completion {
  type: 'complete';
  effect: Effect | null;
  reply: ReplyBuilder<unknown>;
  /** A flow to go on with, given the effect's result (null: none); commands only. */
  andThen?: (result: unknown) => FlowStart | null;
}

export type Transition<D> =
  | { type: 'goto'; step: string; data: D }
  /** The answer parsed but does not fit (e.g. against earlier answers): re-prompt with the reason. */
  | { type: 'invalid'; reason: L10n }
  | Completion;

/** A photo or document sent to a flow: the server's id for it, and its name as sent. */
export interface FileInput {
  id: string;
  name: string;
}

/**
 * How a flow takes photos and documents. A draft keeps them until it completes (`held`, `add`);
 * a reply completes with one (`take`).
 */
export interface FileRule<D> {
  accepts: FileAccepts;
  held?(data: D): readonly string[];
  add?(data: D, id: string): D;
  take?(data: D, file: FileInput): Completion;
}

export interface FlowDef<D> {
  name: string;
  /** Bump when steps or data change shape; stored state of another version is not misread. */
  version: number;
  /** How the flow is named in the menu. */
  title: L10n;
  /** Words that start the flow when nothing is in progress (建议, suggest, …). */
  words: readonly string[];
  /** Who may use it (everyone when absent); others are told so and it is not in their menu. */
  roles?: readonly Role[];
  /** Whether it is in the menu (always when absent): a flow only a command or the server starts is not. */
  listed?: boolean;
  /** Abandoned without a word: a flow the server opened that the person may simply not answer. */
  quiet?: boolean;
  /**
   * What the person types in it is sensitive (a help request): its answers are kept sealed
   * between turns and the messages that carried them are not kept in clear once handled.
   */
  sensitive?: boolean;
  /** Photos and documents sent while in it; without a rule they are refused with a word on where they go. */
  files?: FileRule<D>;
  /** Validates stored data on load. */
  data: z.ZodType<D>;
  initial(ctx: FlowContext): D;
  first: string;
  steps: Readonly<Record<string, StepDef<D>>>;
}

/** A single-turn action: a menu entry or word that completes at once (我的/mine). */
export interface CommandDef {
  name: string;
  title: L10n;
  words: readonly string[];
  /** Who may use it (everyone when absent); others are told so and it is not in their menu. */
  roles?: readonly Role[];
  /** Further texts the command answers, beyond its words (e.g. a reference code). */
  matches?(text: string): boolean;
  /** Whether it is listed in this person's menu (always when absent); it answers its words either way. */
  listed?(ctx: FlowContext): boolean;
  /** `said` is what the person typed, or the command's name when pressed or picked. */
  run(ctx: FlowContext, said: string): Completion | FlowStart;
}

/** A command that goes on as a flow, with the data it already knows (the item being answered). */
export interface FlowStart {
  type: 'start';
  flow: string;
  data: unknown;
  /** The step to begin at (the flow's first when absent). */
  step?: string;
}

export function startFlowWith<D>(flow: string, data: D, step?: string): FlowStart {
  return { type: 'start', flow, data, ...(step ? { step } : {}) };
}

/** Performs declared effects; implemented over the database in one transaction per message. */
export interface EffectPort {
  perform<E extends Effect>(effect: E): Promise<EffectResults[E['type']]>;
}

/** A flow with its data type erased; its stored data is re-validated by `data` on every load. */
export type AnyFlow = FlowDef<unknown>;

export function defineFlow<D>(flow: FlowDef<D>): AnyFlow {
  return flow as unknown as AnyFlow;
}

export function goto<D>(step: string, data: D): Transition<D> {
  return { type: 'goto', step, data };
}

export function invalid(reason: L10n): { type: 'invalid'; reason: L10n } {
  return { type: 'invalid', reason };
}

/** Completes with an effect; `reply` receives the effect's typed result. */
export function finish<E extends Effect>(
  effect: E,
  reply: ReplyBuilder<EffectResults[E['type']]>,
): Completion {
  return { type: 'complete', effect, reply: reply as ReplyBuilder<unknown> };
}

/** Completes with an effect, then goes on as a flow when `then` says so (a check, then a question). */
export function finishThen<E extends Effect>(
  effect: E,
  reply: ReplyBuilder<EffectResults[E['type']]>,
  then: (result: EffectResults[E['type']]) => FlowStart | null,
): Completion {
  return {
    type: 'complete',
    effect,
    reply: reply as ReplyBuilder<unknown>,
    andThen: then as (result: unknown) => FlowStart | null,
  };
}

/** Completes without an effect. */
export function finishWith(reply: (ctx: FlowContext) => Outbound[]): Completion {
  return { type: 'complete', effect: null, reply: (_result, ctx) => reply(ctx) };
}

/** Where a conversation stands; stored between messages as plain JSON. */
export interface ConversationState {
  flow: string;
  version: number;
  step: string;
  data: unknown;
  /** Steps behind the current one, for 上一步/back. */
  history: string[];
  /** ISO time after which the conversation is abandoned. */
  expiresAt: string;
}
