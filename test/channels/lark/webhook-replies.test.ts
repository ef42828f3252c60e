/**
 * The Lark channel after the webhook, over real HTTP with replies checked at the local stand-in
 * for the Lark Open API: a whole suggestion filed by buttons, cards never handed across chats,
 * groups answered only when the bot is mentioned (503 while it cannot tell), other message types
 * answered politely, and sends that survive refusals, expired tokens and a chat the bot left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../../db/schema/index.ts';
import { startHttpServer } from '../../support/browser.ts';
import { primaryKind, type TestDatabase } from '../../support/databases.ts';
import { patienceMs } from '../../support/eventually.ts';
import {
  cardAction,
  cardButtonValue,
  delivery,
  envelope,
  larkApp,
  larkEnv,
  nextId,
  textMessage,
} from '../../support/lark-events.ts';
import { type LarkServer, startLarkServer } from '../../support/lark-server.ts';
import type { StandIn } from '../../support/lark-stand-in.ts';
import { createStack } from '../../support/stack.ts';
import { textOfSent, webhookDriver } from './webhook-helpers.ts';

let database: TestDatabase;
let standIn: StandIn;

let lark: LarkServer;

beforeAll(async () => {
  lark = await startLarkServer({ env: { OUTBOX_MAX_ATTEMPTS: '20' } });
  ({ standIn, database } = lark);
});

afterAll(() => lark?.close());

const { post, settle, counts, sentTo } = webhookDriver(() => lark);

describe(`Lark webhook (${primaryKind})`, () => {
  it('files a whole suggestion in a private chat by buttons, with a receipt at the stand-in', async () => {
    const chatId = nextId('oc');
    const openId = nextId('ou');
    const say = async (text: string) => {
      expect((await post(textMessage({ openId, chatId, text }), { encrypt: true })).status).toBe(200);
      await settle();
    };
    const press = async (label: string) => {
      const card = sentTo(chatId).at(-1)!;
      const value = cardButtonValue(sentTo(chatId).at(-1), label);
      const res = await post(cardAction({ openId, chatId, value, messageId: card.messageId }), {
        encrypt: true,
      });
      expect(res.status).toBe(200);
      const answer = (await res.json()) as { toast: unknown; card?: { type: string; data: unknown } };
      expect(answer).toMatchObject({ toast: { type: 'info', content: '已收到' }, card: { type: 'raw' } });
      // The pressed card now shows the choice and can no longer be pressed.
      expect(JSON.stringify(answer.card?.data)).toContain(`✓ ${label}`);
      expect(JSON.stringify(answer.card?.data)).not.toContain('"behaviors"');
      await settle();
    };
    await post(
      envelope('im.chat.access_event.bot_p2p_chat_entered_v1', {
        chat_id: chatId,
        operator_id: { open_id: openId },
      }),
    );
    await settle();
    expect(textOfSent(sentTo(chatId).at(-1)!)).toContain('提合理化建议');
    await press('提合理化建议');
    expect(textOfSent(sentTo(chatId).at(-1)!)).toContain('标题');
    await say('锅炉房增设余热回收装置');
    await press('节能降耗');
    await say('锅炉排烟温度高，热量白白浪费。建议加装余热回收装置预热给水。');
    await say('跳过');
    await press('署名提交');
    // The event names nobody: asked before a signed submission, and shown on the summary.
    expect(textOfSent(sentTo(chatId).at(-1)!)).toContain('您怎么称呼？');
    await say('赵师傅');
    expect(textOfSent(sentTo(chatId).at(-1)!)).toContain('请确认');
    expect(textOfSent(sentTo(chatId).at(-1)!)).toContain('赵师傅');
    await press('提交');
    const receipt = sentTo(chatId).at(-1)!;
    expect(receipt.msgType).toBe('interactive');
    expect(textOfSent(receipt)).toMatch(/JY-\d{4}-\d{4}/);
    expect(receipt.content).toMatchObject({ schema: '2.0', header: { template: 'green' } });
    expect(sentTo(chatId).every((m) => m.receiveIdType === 'chat_id' && typeof m.uuid === 'string')).toBe(
      true,
    );
  });

  it('never hands back a card from another chat when a callback names it', async () => {
    const mine = nextId('oc');
    const theirs = nextId('oc');
    for (const chatId of [mine, theirs])
      await post(textMessage({ openId: `ou_${chatId}`, chatId, text: '菜单' }));
    await settle();
    const value = cardButtonValue(sentTo(mine).at(-1), '我的事项');
    const res = await post(
      cardAction({ openId: `ou_${mine}`, chatId: mine, value, messageId: sentTo(theirs)[0]!.messageId }),
    );
    const answer = (await res.json()) as Record<string, unknown>;
    expect(answer.toast).toBeDefined();
    expect(answer.card).toBeUndefined();
  });

  it('in a group, answers only when the bot is mentioned, with the mention stripped', async () => {
    const chatId = nextId('oc');
    const openId = nextId('ou');
    await post(
      envelope('im.chat.member.bot.added_v1', {
        chat_id: chatId,
        operator_id: { open_id: openId },
        name: '检修车间',
      }),
    );
    await settle();
    expect(textOfSent(sentTo(chatId)[0]!)).toContain('大家好');
    expect(sentTo(chatId)[0]!.msgType).toBe('text');
    await post(textMessage({ openId, chatId, group: true, text: '我的' }));
    await post(
      textMessage({
        openId,
        chatId,
        group: true,
        text: '@_user_1 我的',
        mentions: [{ key: '@_user_1', openId: 'ou_someone_else', name: '王师傅' }],
      }),
    );
    await settle();
    expect(sentTo(chatId)).toHaveLength(1);
    await post(
      textMessage({
        openId,
        chatId,
        group: true,
        text: '@_user_1 我的',
        mentions: [{ key: '@_user_1', openId: larkApp.botOpenId, name: '同心' }],
      }),
    );
    await settle();
    expect(sentTo(chatId)).toHaveLength(2);
    expect(textOfSent(sentTo(chatId)[1]!)).toContain('还没有提交');
  });

  it('asks for a group mention again (503) while the bot cannot tell whether it was meant', async () => {
    // A second app whose Open API does not answer: the bot's own open_id is unknown.
    const cut = createStack(database, {
      env: { ...larkEnv('http://127.0.0.1:9'), OUTBOX_MAX_ATTEMPTS: '20' },
    });
    const cutServer = await startHttpServer(cut.services);
    try {
      const chatId = nextId('oc');
      const mention = textMessage({
        openId: nextId('ou'),
        chatId,
        group: true,
        text: '@_user_1 我的',
        mentions: [{ key: '@_user_1', openId: larkApp.botOpenId, name: '同心' }],
      });
      const before = await counts();
      const { body, headers } = await delivery(mention);
      const res = await fetch(`${cutServer.url}/webhooks/lark`, { method: 'POST', headers, body });
      expect(res.status).toBe(503);
      expect((await counts()).inbox).toBe(before.inbox);
      // Unmentioned group talk and private chats do not need it.
      const plain = await delivery(
        textMessage({ openId: nextId('ou'), chatId, group: true, text: '开会了' }),
      );
      expect((await fetch(`${cutServer.url}/webhooks/lark`, { method: 'POST', ...plain })).status).toBe(200);
    } finally {
      await cutServer.close();
    }
  });

  it('answers rich text politely, asking for text; a photo outside a form is told where photos go', async () => {
    const chatId = nextId('oc');
    await post(textMessage({ openId: nextId('ou'), chatId, text: '', type: 'post' }));
    await settle();
    expect(textOfSent(sentTo(chatId)[0]!)).toContain('只能处理文字');
    const photoChat = nextId('oc');
    await post(textMessage({ openId: nextId('ou'), chatId: photoChat, text: '', type: 'image' }));
    await settle();
    expect(textOfSent(sentTo(photoChat)[0]!)).toContain('照片和文件请在填写“提建议”或“求助”时发送');
  });

  it('delivers every reply exactly once while the platform refuses 30% of sends', async () => {
    standIn.faults.rate = 0.3;
    standIn.faults.kind = 'mixed';
    const chats = Array.from({ length: 8 }, () => nextId('oc'));
    try {
      for (const chatId of chats) {
        for (const text of ['菜单', '我的', '建议']) {
          await post(textMessage({ openId: `ou_${chatId}`, chatId, text }));
        }
      }
      await settle(patienceMs, { hurry: true });
    } finally {
      standIn.faults.rate = 0;
    }
    const rows = await database.db.select().from(outbox);
    const bad = rows.filter((r) => chats.includes(r.chatId) && r.status !== 'sent');
    expect(bad.map((r) => `${r.status} ${r.attempts} ${r.lastError}`)).toEqual([]);
    for (const chatId of chats) {
      expect(sentTo(chatId).map((m) => m.uuid)).toHaveLength(3);
      expect(new Set(sentTo(chatId).map((m) => m.uuid)).size).toBe(3);
    }
    const refused = standIn.calls.filter((c) => c.status === 429 || c.status === 500);
    expect(refused.length).toBeGreaterThan(0);
  });

  it('fetches a new token when the platform says the old one expired', async () => {
    const chatId = nextId('oc');
    const before = standIn.tokensIssued();
    standIn.expireTokens();
    await post(textMessage({ openId: nextId('ou'), chatId, text: '我的' }));
    await settle();
    expect(sentTo(chatId)).toHaveLength(1);
    expect(standIn.tokensIssued()).toBe(before + 1);
  });

  it('records a permanent refusal (bot not in chat) and does not retry it', async () => {
    const chatId = nextId('oc');
    standIn.closedChats.add(chatId);
    await post(textMessage({ openId: nextId('ou'), chatId, text: '我的' }));
    await settle();
    const rows = await database.db.select().from(outbox);
    const row = rows.find((r) => r.chatId === chatId);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row?.lastError).toContain('230002');
  });
});
