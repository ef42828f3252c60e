/**
 * POST /webhooks/lark: events and card callbacks. Verified over the raw bytes, decrypted, checked
 * for the verification token and app id, then written to the inbox and acknowledged at once;
 * the flow runs afterwards. Every refusal gets its status and writes nothing.
 */
import { Hono } from 'hono';
import { AppError } from '../../kernel/errors.ts';
import { readRawBody } from '../../kernel/http/raw-body.ts';
import { type LarkIntakeDeps, larkText, takeLarkPayload } from './intake.ts';
import { maxLarkBodyBytes, openLarkRequest } from './verify.ts';

export interface LarkWebhookDeps extends LarkIntakeDeps {
  encryptKey: string | undefined;
  windowSeconds: number;
}

const text = {
  ...larkText,
  tooLarge: { zh: '请求体过大（最多 1 MB）。', en: 'The request body is too large (1 MB at most).' },
};

export function larkWebhookRoutes(deps: LarkWebhookDeps) {
  const { log } = deps;
  return new Hono().post('/webhooks/lark', async (c) => {
    // Lark's 3 s for a card callback count from here at the latest.
    const receivedAt = performance.now();
    const rawBody = await readRawBody(c, maxLarkBodyBytes);
    if (!rawBody) {
      log.warn('lark.refused', { reason: 'too_large' });
      deps.metrics.count('tongxin_lark_deliveries_total', { outcome: 'refused', reason: 'too_large' });
      throw new AppError('payload_too_large', text.tooLarge);
    }
    const opened = await openLarkRequest(
      {
        rawBody,
        timestamp: c.req.header('x-lark-request-timestamp'),
        nonce: c.req.header('x-lark-request-nonce'),
        signature: c.req.header('x-lark-signature'),
      },
      {
        encryptKey: deps.encryptKey,
        windowSeconds: deps.windowSeconds,
        now: deps.now(),
        crypto: deps.crypto,
      },
    );
    if (!opened.ok) {
      log.warn('lark.refused', {
        reason: opened.reason,
        skewSeconds: 'skewSeconds' in opened ? opened.skewSeconds : undefined,
      });
      deps.metrics.count('tongxin_lark_deliveries_total', { outcome: 'refused', reason: opened.reason });
      if (opened.status === 413) throw new AppError('payload_too_large', text.tooLarge);
      if (opened.status === 400) throw new AppError('invalid_json', text.malformed);
      throw new AppError('unauthorized', text.refused);
    }
    return c.json(
      await takeLarkPayload(deps, opened.payload, {
        trusted: false,
        unsigned: opened.unsigned === true,
        receivedAt,
      }),
    );
  });
}
