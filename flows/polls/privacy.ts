/**
 * What a poll stores and who can see what, in plain words: shown with a person's first answer to
 * each poll, on the privacy page, and in the README.
 */
import type { L10n } from '../../kernel/l10n.ts';

export const privacyTitle: L10n = { zh: '匿名投票说明', en: 'How anonymous polls work' };

export const privacyPoints: readonly L10n[] = [
  {
    zh: '投票只保存您的答案（和可选的意见），以及投票的日期。不保存您是谁，不保存几点几分投的；投票进行中，答案和意见是加密保存的，连数据库管理员也看不到。投票结束后，意见与答案分开，只在写意见的人数够时随结果公布。',
    en: 'A vote stores your answer (and any comment) and the day, not who you are and not the time of day; while the poll is open, the answer and comment are stored encrypted, out of sight even of a database admin. At the close comments are parted from the answers and shown with the results only if enough people wrote one.',
  },
  {
    zh: '为防止重复投票，系统用本次投票专用的密钥，把您的身份换算成一串无法还原的编码。投票结束时密钥被删除，编码换成随机值，之后任何人——包括工会干部、数据库管理员，以及拿到备份的人——都无法再算出哪一票是谁投的。只有收到这项投票的人才能作答。',
    en: 'To stop double voting, your identity is turned into a code with a key used only for this poll. When the poll closes the key is deleted and the codes are replaced by random ones; after that no one — not an officer, not a database admin, not anyone holding a backup — can work out whose vote is whose. Only people the poll was sent to can answer.',
  },
  {
    zh: '投票进行中可以改票，新的选择替换旧的，不会多算。',
    en: 'While the poll is open you may change your answer; it replaces the old one and is never counted twice.',
  },
  {
    zh: '结果在投票结束后公布，且只在经核实的职工作答人数达到门槛（至少 3 人，通常 5 人）时公布；意见要达到更高的人数才公布，并打乱顺序。不按人数不足门槛的群或部门拆分结果；与近期已公布的投票相比，问到的人相差不足门槛时，本次结果不公布，以免两份结果相减推算出个别人的回答。',
    en: 'Results are shown after the poll closes, and only if enough verified members answered (at least 3, usually 5); comments need more and are shown in random order. Results are never split into groups smaller than that, and when the people asked differ by fewer than that from a poll published lately, the results are not shown, so that subtracting one from the other reveals nobody’s answer.',
  },
  {
    zh: '群里的投票卡片不会显示谁选了什么；确认只有您自己看得到。提醒只发给尚未作答的人，内容对每个人都一样，不会透露谁已作答。',
    en: 'The card in a group never shows who chose what; only you see your confirmation. Reminders go only to those who have not answered, say the same to everyone, and never tell who has.',
  },
];

/** The statement as one text, in one language. */
export function privacyText(lang: 'zh' | 'en'): string {
  return [privacyTitle[lang], ...privacyPoints.map((p, i) => `${i + 1}. ${p[lang]}`)].join('\n');
}
