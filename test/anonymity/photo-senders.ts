/** How the anonymity tests send photos: an upload from the web chat page, and a Lark image message. */
import { expect } from 'vitest';
import { pngPhoto } from '../support/files.ts';
import { delivery, fileMessage, nextId } from '../support/lark-events.ts';
import type { LarkServer } from '../support/lark-server.ts';
import type { Stack } from '../support/stack.ts';

/** A photo uploaded in the web chat, as the page sends it. */
export async function webUpload(stack: Stack, cookie: string, bytes: Uint8Array, name: string) {
  const res = await stack.request('/chat/files', {
    method: 'POST',
    headers: {
      cookie,
      origin: 'http://localhost',
      'x-file-name': encodeURIComponent(name),
      'x-message-id': nextId('upload'),
    },
    body: bytes as Uint8Array<ArrayBuffer>,
  });
  expect(res.status).toBe(202);
  await stack.drain();
}

/** A photo sent in Lark (encrypted delivery), which the stand-in serves when the server fetches it. */
export async function larkPhoto(lark: LarkServer, openId: string, chatId: string) {
  const messageId = nextId('om');
  const key = `img_v2_${nextId('k')}`;
  lark.standIn.files.set(`${messageId}/${key}`, {
    type: 'image',
    bytes: pngPhoto(),
    contentType: 'image/png',
  });
  const { body, headers } = await delivery(fileMessage({ openId, chatId, kind: 'image', key, messageId }), {
    encrypt: true,
  });
  expect((await fetch(`${lark.server.url}/webhooks/lark`, { method: 'POST', body, headers })).status).toBe(
    200,
  );
  await lark.stack.drain();
}
