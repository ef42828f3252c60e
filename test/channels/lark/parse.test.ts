/**
 * Reading a Lark text message: its lines stay as typed, and mentions are replaced whole. Lark's
 * facts (from the `im.message.receive_v1` documentation): `message.content` is a JSON string
 * `{"text": …}` whose line breaks are `\n`; each mention is a placeholder `@_user_<n>` numbered
 * from 1 in the text, with `key`, `id.open_id` and `name` in `message.mentions`; `@_all` mentions
 * everyone. Pure.
 */
import { describe, expect, it } from 'vitest';
import { parseLarkPayload } from '../../../bots/lark/parse.ts';
import { docMessageBotOpenId, docMessageEvent } from '../../fixtures/lark/message-receive.ts';

const botOpenId = 'ou_bot';
const now = new Date('2026-12-02T02:00:00Z');

function received(
  text: string,
  opts: { group?: boolean; mentions?: { key: string; openId: string; name: string }[] } = {},
) {
  const parsed = parseLarkPayload(
    {
      schema: '2.0',
      header: { event_id: 'ev_1', event_type: 'im.message.receive_v1', token: 't', app_id: 'cli_a' },
      event: {
        sender: { sender_id: { open_id: 'ou_worker' }, sender_type: 'user' },
        message: {
          message_id: 'om_1',
          chat_id: 'oc_1',
          chat_type: opts.group ? 'group' : 'p2p',
          message_type: 'text',
          content: JSON.stringify({ text }),
          create_time: '1764640800000',
          mentions: (opts.mentions ?? []).map((m) => ({
            key: m.key,
            id: { open_id: m.openId },
            name: m.name,
          })),
        },
      },
    },
    { botOpenId, now },
  );
  if (parsed.kind !== 'inbound' || parsed.inbound.content.type !== 'text')
    throw new Error(`not a text: ${parsed.kind}`);
  return parsed.inbound.content.text;
}

describe('a Lark text message', () => {
  it('keeps the lines of a description typed over several lines', () => {
    expect(received('食堂晚餐太咸\n建议：\n1. 少放盐\n2. 提供清淡窗口')).toBe(
      '食堂晚餐太咸\n建议：\n1. 少放盐\n2. 提供清淡窗口',
    );
    expect(received('第一行\r\n\r\n第三行  \n   ')).toBe('第一行\n\n第三行');
  });

  it('removes the bot’s mention and tidies the spaces it leaves, on its own line too', () => {
    const bot = { key: '@_user_1', openId: botOpenId, name: '同心' };
    expect(received('@_user_1  建议 食堂', { group: true, mentions: [bot] })).toBe('建议 食堂');
    expect(received('@_user_1\n宿舍热水\n晚上没有', { group: true, mentions: [bot] })).toBe(
      '宿舍热水\n晚上没有',
    );
  });

  it('replaces @_user_1 whole, never inside @_user_10 or later, with ten or more mentions', () => {
    const people = Array.from({ length: 11 }, (_, i) => ({
      key: `@_user_${i + 1}`,
      openId: i === 9 ? botOpenId : `ou_p${i + 1}`,
      name: `成员${i + 1}`,
    }));
    const text = people.map((p) => p.key).join(' ');
    // The bot is @_user_10: it is removed, and @_user_1 does not eat the start of @_user_10 or @_user_11.
    expect(received(`${text} 菜单`, { group: true, mentions: people })).toBe(
      '@成员1 @成员2 @成员3 @成员4 @成员5 @成员6 @成员7 @成员8 @成员9 @成员11 菜单',
    );
  });

  it('drops @_all and leaves a placeholder with no mention as typed', () => {
    const bot = { key: '@_user_1', openId: botOpenId, name: '同心' };
    expect(received('@_user_1 @_all 通知', { group: true, mentions: [bot] })).toBe('通知');
    expect(received('@_user_1 见 @_user_7', { group: true, mentions: [bot] })).toBe('见 @_user_7');
  });

  it('reads the documentation’s example as the text after the bot’s mention, in its group', () => {
    const parsed = parseLarkPayload(structuredClone(docMessageEvent) as unknown as Record<string, unknown>, {
      botOpenId: docMessageBotOpenId,
      now,
    });
    expect(parsed).toMatchObject({
      kind: 'inbound',
      token: docMessageEvent.header.token,
      appId: docMessageEvent.header.app_id,
      inbound: {
        channel: 'lark',
        dedupeKey: `lark:msg:${docMessageEvent.event.message.message_id}`,
        chat: { id: docMessageEvent.event.message.chat_id, type: 'group' },
        sender: { externalId: docMessageEvent.event.sender.sender_id.open_id },
        content: { type: 'text', text: 'hello' },
      },
    });
    // Mentioning someone else in that group is not for the bot.
    expect(
      parseLarkPayload(structuredClone(docMessageEvent) as unknown as Record<string, unknown>, {
        botOpenId,
        now,
      }),
    ).toMatchObject({
      kind: 'ignored',
      why: 'not_mentioned',
    });
  });
});
