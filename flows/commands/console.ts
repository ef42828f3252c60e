/**
 * 后台/console (officers and admins): a one-time link to the web console, valid for 10 minutes
 * and good for one sign-in, sent only to the person who asked, in their own chat.
 */

import { t } from '../../kernel/l10n.ts';
import { rolesFor } from '../access/rules.ts';
import type { CommandDef } from '../engine/types.ts';
import { finish } from '../engine/types.ts';

const text = {
  title: { zh: '干部后台', en: 'Officers’ console' },
  topic: { zh: '登录链接 · 10 分钟内有效，只能用一次', en: 'Sign-in link · valid 10 minutes, one use' },
  body: {
    zh: '点下面的按钮在浏览器中打开后台。链接只属于您，请勿转发；用过或过期后请重新发送“后台”。',
    en: 'Tap the button to open the console in a browser. The link is yours alone: do not forward it. Once used or expired, send "console" again.',
  },
  open: { zh: '打开后台', en: 'Open the console' },
  refused: { zh: '后台只对工会干部开放。', en: 'The console is for union officers only.' },
};

export const consoleCommand: CommandDef = {
  name: 'console',
  title: text.title,
  words: ['后台', '管理后台', 'console'],
  roles: rolesFor('console.enter'),
  run: () =>
    finish({ type: 'console.link' }, (result, ctx) =>
      result.ok
        ? [
            {
              type: 'article',
              title: t(ctx.lang, text.title),
              topic: t(ctx.lang, text.topic),
              text: t(ctx.lang, text.body),
              url: result.url,
              readMore: t(ctx.lang, text.open),
            },
          ]
        : [{ type: 'text', text: t(ctx.lang, text.refused) }],
    ),
};
