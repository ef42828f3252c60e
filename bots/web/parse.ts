/** Turns a web chat POST body into a neutral inbound event, or says what is wrong with it. */
import { z } from 'zod';
import { charCount, hasUnsafeCharacters, normalizeText } from '../../kernel/text.ts';
import { type Inbound, maxActionValueLength } from '../core/messenger.ts';

/** Longest message the web chat accepts; flows enforce their own, smaller, limits per answer. */
export const maxWebTextLength = 4000;

const bodySchema = z.union([
  z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/), text: z.string().max(100_000) }).strict(),
  z
    .object({
      id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
      action: z.string().min(1).max(maxActionValueLength),
      label: z.string().max(200),
    })
    .strict(),
]);

export type WebParse =
  | { ok: true; inbound: Inbound; shown: { text: string } | { label: string } }
  | { ok: false; problem: 'invalid' }
  | { ok: false; problem: 'empty' }
  | { ok: false; problem: 'too_long'; max: number; given: number };

export function parseWebMessage(body: unknown, visitor: string, receivedAt: Date): WebParse {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) return { ok: false, problem: 'invalid' };
  const message = parsed.data;
  const base = {
    channel: 'web' as const,
    dedupeKey: `web:${visitor}:${message.id}`,
    sender: { externalId: visitor },
    chat: { id: visitor, type: 'private' as const },
    receivedAt: receivedAt.toISOString(),
  };
  if ('text' in message) {
    const text = normalizeText(message.text);
    if (text === '') return { ok: false, problem: 'empty' };
    const given = charCount(text);
    if (given > maxWebTextLength) return { ok: false, problem: 'too_long', max: maxWebTextLength, given };
    return { ok: true, inbound: { ...base, content: { type: 'text', text } }, shown: { text } };
  }
  if (hasUnsafeCharacters(message.action)) return { ok: false, problem: 'invalid' };
  const label = normalizeText(message.label).slice(0, 100);
  return {
    ok: true,
    inbound: { ...base, content: { type: 'action', value: message.action, label } },
    shown: { label },
  };
}
