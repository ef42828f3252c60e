/**
 * Where a Lark payload enters the system, whichever way it came (webhook or long connection):
 * sender checks, parsing, the deduplicated inbox write, and the answer the platform expects.
 */

import { type Inbound, outboundSchema } from '../bots/core/messenger.ts';
import type { LarkCrypto } from '../bots/lark/crypto.ts';
import { parseLarkPayload } from '../bots/lark/parse.ts';
import { answeredCard } from '../bots/lark/render.ts';
import type { Db } from '../db/client.ts';
import { AppError } from './errors.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import type { InboxWriter } from './store/inbox-writer.ts';
import { findSent } from './store/outbox.ts';

export interface LarkIntakeDeps {
  db: Db;
  /** The inbox write that must succeed before the platform is answered. */
  accept: InboxWriter;
  log: Logger;
  now: () => Date;
  wake: () => void;
  appId: string;
  verificationToken: string;
  botOpenId: () => Promise<string | null>;
  crypto: LarkCrypto;
  metrics: Metrics;
}

/** What refusals of Lark deliveries say (the webhook adds its own for the body's size). */
export const larkText = {
  refused: { zh: '请求未通过校验。', en: 'The request did not pass verification.' },
  malformed: { zh: '无法识别的事件内容。', en: 'The event could not be read.' },
  received: { zh: '已收到', en: 'Received' },
};

/** What to answer the platform with. */
export type LarkAnswer =
  | { challenge: string }
  | { toast: Record<string, unknown>; card?: { type: 'raw'; data: unknown } }
  | Record<string, never>;

/**
 * Takes an opened payload in. `trusted` payloads came over the long connection, which the app's
 * own credentials authenticate, so there is no verification token to compare.
 */
export async function takeLarkPayload(
  deps: LarkIntakeDeps,
  payload: Record<string, unknown>,
  opts: { trusted: boolean },
): Promise<LarkAnswer> {
  const { log } = deps;
  const refuse = (reason: string) => {
    log.warn('lark.refused', { reason });
    deps.metrics.count('tongxin_lark_deliveries_total', { outcome: 'refused', reason });
  };
  const parsed = parseLarkPayload(payload, { botOpenId: await deps.botOpenId(), now: deps.now() });
  // Who sent it is judged before what it says: a wrong token is a 401 even on a malformed event.
  if (
    !opts.trusted &&
    parsed.token !== undefined &&
    !(await deps.crypto.sameSecret(parsed.token, deps.verificationToken))
  ) {
    refuse('bad_token');
    throw new AppError('unauthorized', larkText.refused);
  }
  if (parsed.kind !== 'challenge' && parsed.appId !== undefined && parsed.appId !== deps.appId) {
    refuse('bad_app_id');
    throw new AppError('unauthorized', larkText.refused);
  }
  if (parsed.kind === 'malformed') {
    refuse('malformed');
    if (parsed.token === undefined && !opts.trusted) throw new AppError('unauthorized', larkText.refused);
    throw new AppError('validation_failed', larkText.malformed);
  }
  if (parsed.kind === 'challenge') {
    deps.metrics.count('tongxin_lark_deliveries_total', { outcome: 'verification' });
    return { challenge: parsed.challenge };
  }
  const eventType = parsed.eventType.slice(0, 80);
  if (parsed.kind === 'ignored') {
    log.info('lark.ignored', { eventType, why: parsed.why });
    deps.metrics.count('tongxin_lark_deliveries_total', {
      outcome: 'ignored',
      reason: parsed.why,
      event_type: eventType,
    });
    return {};
  }
  const result = await deps.accept(parsed.inbound);
  deps.metrics.count('tongxin_lark_deliveries_total', {
    outcome: result.accepted ? 'accepted' : 'duplicate',
    event_type: eventType,
  });
  if (result.accepted) {
    log.debug('inbox.accepted', { channel: 'lark', id: result.id, eventType: parsed.eventType });
    deps.wake();
  } else {
    log.info('lark.duplicate', { eventType: parsed.eventType });
  }
  if (parsed.eventType === 'card.action.trigger') {
    const toast = {
      type: 'info',
      content: larkText.received.zh,
      i18n: { zh_cn: larkText.received.zh, en_us: larkText.received.en },
    };
    const card = await pressedCard(deps.db, parsed.messageId, parsed.inbound);
    return card ? { toast, card: { type: 'raw', data: card } } : { toast };
  }
  return {};
}

/** The pressed card without its buttons and with the choice shown, when it is a card this server sent to that chat. */
async function pressedCard(db: Db, messageId: string | undefined, inbound: Inbound): Promise<unknown | null> {
  if (!messageId || inbound.content.type !== 'action') return null;
  const sent = await findSent(db, 'lark', messageId);
  if (!sent || sent.chatId !== inbound.chat.id) return null;
  const message = outboundSchema.safeParse(sent.payload);
  if (!message.success) return null;
  const answered = answeredCard(message.data, inbound.content.value);
  return answered?.msgType === 'interactive' ? JSON.parse(answered.content) : null;
}

const headerKeys = ['event_id', 'event_type', 'create_time', 'token', 'app_id', 'tenant_key'] as const;

/**
 * The SDK hands long-connection handlers the envelope flattened ({schema, ...header, ...event});
 * this puts it back. In card callbacks the event's own `token` (for delayed updates) has
 * overwritten the header's, which is why long-connection payloads are taken as trusted.
 */
export function unflattenLarkEvent(data: Record<string, unknown>): Record<string, unknown> {
  const header: Record<string, unknown> = {};
  const event: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === 'schema') continue;
    if ((headerKeys as readonly string[]).includes(key) && key !== 'token') header[key] = value;
    else event[key] = value;
  }
  header.token = '';
  return { schema: '2.0', header, event };
}
