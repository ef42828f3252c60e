/** Builds Lark deliveries as the platform sends them: schema 2.0 envelopes, encrypted or not, signed. */
// Deliveries are made with Web Crypto and opened by the server with node:crypto: each checks the other.
import { webLarkCrypto } from '../../bots/lark/crypto-web.ts';

export const larkApp = {
  appId: 'cli_a1b2c3d4e5f60718',
  appSecret: 'test-app-secret-0123',
  verificationToken: 'test-verification-token-01',
  encryptKey: 'test-encrypt-key-0123',
  botOpenId: 'ou_bot_tongxin',
};

export const larkEnv = (apiBase: string): Record<string, string> => ({
  LARK_APP_ID: larkApp.appId,
  LARK_APP_SECRET: larkApp.appSecret,
  LARK_VERIFICATION_TOKEN: larkApp.verificationToken,
  LARK_ENCRYPT_KEY: larkApp.encryptKey,
  LARK_API_BASE: apiBase,
});

let seq = 0;
export const nextId = (prefix: string) => `${prefix}_${Date.now().toString(36)}${(++seq).toString(36)}`;

export function envelope(
  eventType: string,
  event: unknown,
  overrides: { token?: string; appId?: string; eventId?: string } = {},
) {
  return {
    schema: '2.0',
    header: {
      event_id: overrides.eventId ?? nextId('ev'),
      event_type: eventType,
      create_time: String(Date.now()),
      token: overrides.token ?? larkApp.verificationToken,
      app_id: overrides.appId ?? larkApp.appId,
      tenant_key: 'tenant_test',
    },
    event,
  };
}

export function textMessage(opts: {
  openId: string;
  chatId: string;
  text: string;
  group?: boolean;
  messageId?: string;
  mentions?: { key: string; openId: string; name: string }[];
  type?: string;
}) {
  return envelope('im.message.receive_v1', {
    sender: { sender_id: { open_id: opts.openId, union_id: `on_${opts.openId}` }, sender_type: 'user' },
    message: {
      message_id: opts.messageId ?? nextId('om'),
      chat_id: opts.chatId,
      chat_type: opts.group ? 'group' : 'p2p',
      message_type: opts.type ?? 'text',
      content: JSON.stringify(
        opts.type && opts.type !== 'text' ? { image_key: 'img_x' } : { text: opts.text },
      ),
      create_time: String(Date.now()),
      mentions: (opts.mentions ?? []).map((m) => ({ key: m.key, id: { open_id: m.openId }, name: m.name })),
    },
  });
}

export function cardAction(opts: { openId: string; chatId: string; value: unknown; messageId?: string }) {
  return envelope('card.action.trigger', {
    operator: { open_id: opts.openId, union_id: `on_${opts.openId}` },
    token: 'c-card-update-token',
    action: { value: opts.value, tag: 'button' },
    host: 'im_message',
    context: { open_message_id: opts.messageId ?? nextId('om'), open_chat_id: opts.chatId },
  });
}

/** The body and headers of a delivery: compact JSON, optionally encrypted, signed with the Encrypt Key. */
export async function delivery(
  payload: unknown,
  opts: { encrypt?: boolean; timestamp?: number; key?: string } = {},
): Promise<{ body: string; headers: Record<string, string> }> {
  const inner = JSON.stringify(payload);
  const body = opts.encrypt
    ? JSON.stringify({ encrypt: await webLarkCrypto.encrypt(larkApp.encryptKey, inner) })
    : inner;
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = nextId('nonce');
  const signature = await webLarkCrypto.signature(
    timestamp,
    nonce,
    opts.key ?? larkApp.encryptKey,
    new TextEncoder().encode(body),
  );
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': signature,
    },
  };
}

/** The callback value of the button with this label on a card the stand-in received. */
export function cardButtonValue(
  card: { content: Record<string, unknown> } | undefined,
  label: string,
): unknown {
  const found = JSON.stringify(card?.content ?? {}).match(
    new RegExp(
      `"content":"${label}"\\},"behaviors":\\[\\{"type":"callback","value":(\\{"v":"(?:[^"\\\\]|\\\\.)*"\\})`,
    ),
  );
  if (!found) throw new Error(`no button "${label}" in ${JSON.stringify(card?.content ?? {})}`);
  return JSON.parse(found[1]!);
}

/** An image or file message sent to the bot, its content as the documentation shapes it. */
export function fileMessage(opts: {
  openId: string;
  chatId: string;
  kind: 'image' | 'file';
  key: string;
  name?: string;
  messageId?: string;
}) {
  return envelope('im.message.receive_v1', {
    sender: { sender_id: { open_id: opts.openId, union_id: `on_${opts.openId}` }, sender_type: 'user' },
    message: {
      message_id: opts.messageId ?? nextId('om'),
      chat_id: opts.chatId,
      chat_type: 'p2p',
      message_type: opts.kind,
      content: JSON.stringify(
        opts.kind === 'image'
          ? { image_key: opts.key }
          : { file_key: opts.key, file_name: opts.name ?? 'file' },
      ),
    },
  });
}
