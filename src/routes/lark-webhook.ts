/**
 * POST /webhooks/lark: events and card callbacks. Verified over the raw bytes, decrypted, checked
 * for the verification token and app id, then written to the inbox and acknowledged at once;
 * the flow runs afterwards. Every refusal gets its status and writes nothing.
 */
import { Hono } from 'hono';
import { sameSecret } from '../../bots/lark/crypto.ts';
import { parseLarkPayload } from '../../bots/lark/parse.ts';
import { maxLarkBodyBytes, openLarkRequest } from '../../bots/lark/verify.ts';
import type { Db } from '../../db/client.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { acceptInbound } from '../store/inbox.ts';

export interface LarkWebhookDeps {
  db: Db;
  log: Logger;
  now: () => Date;
  wake: () => void;
  appId: string;
  verificationToken: string;
  encryptKey: string | undefined;
  windowSeconds: number;
  botOpenId: () => Promise<string | null>;
}

const text = {
  refused: { zh: '请求未通过校验。', en: 'The request did not pass verification.' },
  tooLarge: { zh: '请求体过大（最多 1 MB）。', en: 'The request body is too large (1 MB at most).' },
  malformed: { zh: '无法识别的事件内容。', en: 'The event could not be read.' },
  received: { zh: '已收到', en: 'Received' },
};

export function larkWebhookRoutes(deps: LarkWebhookDeps) {
  const { log } = deps;
  return new Hono().post('/webhooks/lark', async (c) => {
    const rawBody = new Uint8Array(await c.req.arrayBuffer());
    if (rawBody.length > maxLarkBodyBytes) throw new AppError('payload_too_large', text.tooLarge);
    const opened = await openLarkRequest(
      {
        rawBody,
        timestamp: c.req.header('x-lark-request-timestamp'),
        nonce: c.req.header('x-lark-request-nonce'),
        signature: c.req.header('x-lark-signature'),
      },
      { encryptKey: deps.encryptKey, windowSeconds: deps.windowSeconds, now: deps.now() },
    );
    if (!opened.ok) {
      log.warn('lark.refused', {
        reason: opened.reason,
        skewSeconds: 'skewSeconds' in opened ? opened.skewSeconds : undefined,
      });
      if (opened.status === 413) throw new AppError('payload_too_large', text.tooLarge);
      if (opened.status === 400) throw new AppError('invalid_json', text.malformed);
      throw new AppError('unauthorized', text.refused);
    }
    const parsed = parseLarkPayload(opened.payload, { botOpenId: await deps.botOpenId(), now: deps.now() });
    // Who sent it is judged before what it says: a wrong token is a 401 even on a malformed event.
    if (parsed.token !== undefined && !(await sameSecret(parsed.token, deps.verificationToken))) {
      log.warn('lark.refused', { reason: 'bad_token' });
      throw new AppError('unauthorized', text.refused);
    }
    if (parsed.kind !== 'challenge' && parsed.appId !== undefined && parsed.appId !== deps.appId) {
      log.warn('lark.refused', { reason: 'bad_app_id' });
      throw new AppError('unauthorized', text.refused);
    }
    if (parsed.kind === 'malformed') {
      log.warn('lark.refused', { reason: 'malformed' });
      throw new AppError(
        parsed.token === undefined ? 'unauthorized' : 'validation_failed',
        parsed.token === undefined ? text.refused : text.malformed,
      );
    }
    if (parsed.kind === 'challenge') return c.json({ challenge: parsed.challenge });
    if (parsed.kind === 'ignored') {
      log.info('lark.ignored', { eventType: parsed.eventType.slice(0, 80), why: parsed.why });
      return c.json({});
    }
    const result = await acceptInbound(deps.db, parsed.inbound);
    if (result.accepted) {
      log.info('inbox.accepted', { channel: 'lark', id: result.id, eventType: parsed.eventType });
      deps.wake();
    } else {
      log.info('lark.duplicate', { eventType: parsed.eventType });
    }
    if (parsed.eventType === 'card.action.trigger') {
      return c.json({
        toast: {
          type: 'info',
          content: text.received.zh,
          i18n: { zh_cn: text.received.zh, en_us: text.received.en },
        },
      });
    }
    return c.json({});
  });
}
