/**
 * Button values. A button carries which flow and step it belongs to, so a press on an old
 * message is recognised as stale instead of answering the wrong question. Values come back from
 * the outside world and are validated like typed text.
 */
import { z } from 'zod';
import { maxActionValueLength } from '../../bots/core/messenger.ts';

const actionSchema = z.discriminatedUnion('k', [
  /** An answer to one step of one flow. */
  z.object({ k: z.literal('step'), f: z.string().max(40), s: z.string().max(40), v: z.string().max(200) }),
  /**
   * A word the engine owns (menu, cancel, back, mine, …), pressed instead of typed. Buttons shown
   * with a question (上一步, 取消) name its flow and step, so an old one cannot act on a newer question.
   */
  z.object({
    k: z.literal('word'),
    v: z.string().max(40),
    f: z.string().max(40).optional(),
    s: z.string().max(40).optional(),
  }),
  /**
   * A command with its arguments, on a notification (rate this item, accept this invitation): it
   * acts whatever the conversation is doing, exactly as if the person had typed `a`, and is
   * checked the same way.
   */
  z.object({ k: z.literal('cmd'), c: z.string().max(40), a: z.string().max(200) }),
]);
export type ActionValue = z.infer<typeof actionSchema>;

export function encodeAction(action: ActionValue): string {
  return JSON.stringify(action);
}

/** The decoded action, or null when the value was not made by this engine (tampered or garbage). */
export function decodeAction(value: string): ActionValue | null {
  if (value.length > maxActionValueLength) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch /* Stryker disable next-line BlockStatement: equivalent, without this return undefined goes on to the schema, which refuses it */ {
    return null;
  }
  const result = actionSchema.safeParse(parsed);
  return result.success ? result.data : null;
}
