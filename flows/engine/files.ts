/**
 * A photo or document sent in a conversation. A draft that takes files keeps it (the server holds
 * it for the draft) and asks its question again; a reply completes with it; anywhere else the
 * person is told where files go. Nothing is kept where it does not belong.
 */
import type { Outbound } from '../../bots/core/messenger.ts';
import { filesPerItem, refusalText } from '../files/rules.ts';
import type { Input } from './input.ts';
import { showMenu } from './menu.ts';
import { engineText as m } from './messages.ts';
import { prompt } from './prompts.ts';
import { type EngineSetup, expiresAt, stay, type Turn, type TurnResult } from './setup.ts';
import { complete } from './steps.ts';
import type { AnyFlow, ConversationState } from './types.ts';

export async function answerFile(
  setup: EngineSetup,
  inFlow: { flow: AnyFlow; state: ConversationState } | null,
  file: Extract<Input, { kind: 'file' }>,
  turn: Turn,
  out: Outbound[],
): Promise<TurnResult> {
  const { ctx } = turn;
  if (!inFlow) return showMenu(setup, ctx, out, m.fileOutsideFlow);
  const { flow, state } = inFlow;
  const rule = flow.files;
  const again = (notice: Parameters<typeof prompt>[3]) => {
    out.push(prompt(flow, state, ctx, notice));
    return stay(state, out, ctx);
  };
  if (rule?.take)
    return complete(rule.take(state.data, { id: file.id, name: file.name }), ctx, turn.port, out);
  if (!rule?.add || !rule.held) return again(m.fileNotHere(flow.title));
  const held = rule.held(state.data);
  if (held.includes(file.id)) return again(undefined);
  if (held.length >= filesPerItem) return again(refusalText('too_many', { maxBytes: 0 }));
  const hold = await turn.port.perform({ type: 'file.hold', id: file.id, accepts: rule.accepts });
  if (!hold.ok) return again(refusalText(hold.why, hold));
  const next: ConversationState = {
    ...state,
    data: rule.add(state.data, file.id),
    expiresAt: expiresAt(setup, ctx),
  };
  out.push(prompt(flow, next, ctx, m.fileHeld(hold.name, held.length + 1)));
  return stay(next, out, ctx);
}
