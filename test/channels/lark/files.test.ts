/**
 * Lark's image and file messages and their files, held to the documented shapes
 * (test/fixtures/lark/message-resource.ts): the parser reads both into a file to fetch; the
 * fetcher, over both transports (the official SDK and fetch), gets the bytes from the stand-in's
 * message resource API, stops reading at the limit, renews a token the platform calls invalid,
 * and tells a refusal for good (a card's resource, a key not in the message) from one worth trying
 * again; and the fetcher reads the documented refusals as the stand-in answers them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchTransport } from '../../../bots/lark/fetch-transport.ts';
import { larkFileRef, larkFiles, readLarkFileRef } from '../../../bots/lark/files.ts';
import { parseLarkPayload } from '../../../bots/lark/parse.ts';
import { sdkTransport } from '../../../bots/lark/sdk-transport.ts';
import type { LarkAppCredentials, LarkDownload, LarkTransport } from '../../../bots/lark/transport.ts';
import {
  cardResourceRefusal,
  fileMessage,
  imageAnswerHeaders,
  imageMessage,
  invalidTokenRefusal,
  sender,
} from '../../fixtures/lark/message-resource.ts';
import { pngPhoto } from '../../support/files.ts';
import { envelope, larkApp } from '../../support/lark-events.ts';
import { type StandIn, startLarkStandIn } from '../../support/lark-stand-in.ts';

let standIn: StandIn;
beforeAll(async () => {
  standIn = await startLarkStandIn({ ...larkApp });
});
afterAll(() => standIn?.close());

const parse = (message: object) =>
  parseLarkPayload(envelope('im.message.receive_v1', { sender, message }) as Record<string, unknown>, {
    botOpenId: 'ou_bot',
    now: new Date('2026-12-03T02:00:00Z'),
  });

describe('image and file messages', () => {
  it('reads the documented image and file messages as files to fetch', () => {
    const image = parse(imageMessage);
    expect(image.kind === 'inbound' && image.inbound.content).toEqual({
      type: 'file',
      kind: 'image',
      name: 'image',
      ref: 'lark:image:om_dc13264520392913993dd051dba21dcf:img_v2_041b28e3-5680-48c2-9af2-497ace79333g',
    });
    const file = parse(fileMessage);
    expect(file.kind === 'inbound' && file.inbound.content).toEqual({
      type: 'file',
      kind: 'file',
      name: '诊断证明.pdf',
      ref: 'lark:file:om_8a74b3f1cc25e1d2e6f1a0b9c7d45e21:file_v2_6aba0329-4ddc-4d8f-a8a3-5ab3b5a2ab8g',
    });
  });

  it('reads a key it could not use in a path, or no key, as a message it cannot read', () => {
    for (const content of ['{"image_key":"../../auth"}', '{}', 'not json']) {
      const parsed = parse({ ...imageMessage, content });
      expect(parsed.kind === 'inbound' && parsed.inbound.content).toEqual({
        type: 'unsupported',
        kind: 'image',
      });
    }
    expect(readLarkFileRef('lark:image:om_1:img_1:extra')).toBeNull();
    expect(readLarkFileRef(larkFileRef({ messageId: 'om_1', key: 'img_1', type: 'image' }))).toEqual({
      messageId: 'om_1',
      key: 'img_1',
      type: 'image',
    });
  });
});

const transports: [string, (credentials: LarkAppCredentials) => LarkTransport][] = [
  ['the official SDK', sdkTransport],
  ['fetch', (credentials) => fetchTransport(credentials)],
];

describe.each(transports)('fetching a file through %s', (_name, transport) => {
  const files = () =>
    larkFiles(transport({ appId: larkApp.appId, appSecret: larkApp.appSecret, apiBase: standIn.url }));
  const serve = (messageId: string, key: string, file: Parameters<StandIn['files']['set']>[1]) =>
    standIn.files.set(`${messageId}/${key}`, file);

  it('gets the bytes and their type, with type=image', async () => {
    const photo = pngPhoto();
    serve('om_t1', 'img_t1', {
      type: 'image',
      bytes: photo,
      contentType: imageAnswerHeaders['content-type'],
    });
    const got = await files().fetch('lark:image:om_t1:img_t1', 1_000_000);
    expect(got).toEqual({ ok: true, bytes: photo, contentType: 'image/png' });
    const call = standIn.calls.findLast((c) => c.path.endsWith('/img_t1'))!;
    expect(call.path).toBe('/open-apis/im/v1/messages/om_t1/resources/img_t1');
    expect(call.query).toEqual({ type: 'image' });
    expect(call.authorization).toMatch(/^Bearer t-/);
  });

  it('stops reading past the limit', async () => {
    serve('om_t2', 'file_t2', {
      type: 'file',
      bytes: new Uint8Array(300_000),
      contentType: 'application/pdf',
    });
    const got = await files().fetch('lark:file:om_t2:file_t2', 100_000);
    expect(got).toEqual(expect.objectContaining({ ok: false, why: 'too_large' }));
  });

  it('takes a card’s resource and a key not in its message as gone for good', async () => {
    serve('om_t3', 'img_t3', { type: 'image', bytes: pngPhoto(), contentType: 'image/png', card: true });
    expect(await files().fetch('lark:image:om_t3:img_t3', 1_000_000)).toEqual(
      expect.objectContaining({ ok: false, why: 'gone', detail: expect.stringContaining('234043') }),
    );
    expect(await files().fetch('lark:image:om_t3:img_missing', 1_000_000)).toEqual(
      expect.objectContaining({ ok: false, why: 'gone' }),
    );
  });
});

describe('the stand-in’s resource API, held to the documented answers', () => {
  it('answers a file as the documentation shows, and a card’s resource with its documented refusal', async () => {
    const token = await fetch(`${standIn.url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: larkApp.appId, app_secret: larkApp.appSecret }),
    }).then(async (r) => ((await r.json()) as { tenant_access_token: string }).tenant_access_token);
    const get = (path: string) =>
      fetch(`${standIn.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    standIn.files.set('om_doc1/img_doc1', { type: 'image', bytes: pngPhoto(), contentType: 'image/png' });
    const image = await get('/open-apis/im/v1/messages/om_doc1/resources/img_doc1?type=image');
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe(imageAnswerHeaders['content-type']);
    standIn.files.set('om_doc2/img_doc2', {
      type: 'image',
      bytes: pngPhoto(),
      contentType: 'image/png',
      card: true,
    });
    const card = await get('/open-apis/im/v1/messages/om_doc2/resources/img_doc2?type=image');
    expect(card.status).toBe(cardResourceRefusal.status);
    expect(((await card.json()) as { code: number }).code).toBe(cardResourceRefusal.body.code);
    const stale = await fetch(
      `${standIn.url}/open-apis/im/v1/messages/om_doc1/resources/img_doc1?type=image`,
      {
        headers: { authorization: 'Bearer t-stale' },
      },
    );
    expect(stale.status).toBe(invalidTokenRefusal.status);
    expect(((await stale.json()) as { code: number }).code).toBe(invalidTokenRefusal.body.code);
  });
});

describe('the fetcher, read against the documented refusals', () => {
  /** A transport answering downloads from a list, as the platform would. */
  const scripted = (answers: LarkDownload[]) => {
    let dropped = 0;
    const transport: LarkTransport = {
      call: async () => ({ status: 500, body: undefined, rateLimitReset: undefined }),
      download: async () => answers.shift() ?? { status: 500 },
      dropToken: () => {
        dropped++;
      },
    };
    return { files: larkFiles(transport), dropped: () => dropped };
  };

  it('renews an invalid token once, and reads a card’s refusal as gone', async () => {
    const renewed = scripted([
      invalidTokenRefusal,
      { status: 200, bytes: pngPhoto(), contentType: 'image/png' },
    ]);
    expect((await renewed.files.fetch('lark:image:om_1:img_1', 1000)).ok).toBe(true);
    expect(renewed.dropped()).toBe(1);
    const card = scripted([cardResourceRefusal]);
    expect(await card.files.fetch('lark:image:om_1:img_1', 1000)).toEqual(
      expect.objectContaining({ ok: false, why: 'gone' }),
    );
  });

  it('throws on a rate limit or a fault, to be tried again later', async () => {
    await expect(
      scripted([{ status: 429, body: { code: 99991400 } }]).files.fetch('lark:image:om_1:img_1', 1000),
    ).rejects.toThrow();
    await expect(scripted([{ status: 503 }]).files.fetch('lark:image:om_1:img_1', 1000)).rejects.toThrow();
  });
});
